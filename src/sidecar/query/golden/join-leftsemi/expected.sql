SELECT __t2."k" AS "k", __t2."a" AS "a"
FROM (
  SELECT tupleElement(__t0.__row, 1) AS "k", tupleElement(__t0.__row, 2) AS "a"
  FROM (SELECT arrayJoin([CAST(tuple({p1:String}, {p2:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p3:String}, {p4:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p5:String}, {p6:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t0
) AS __t2
LEFT SEMI JOIN (
  SELECT tupleElement(__t1.__row, 1) AS "k", tupleElement(__t1.__row, 2) AS "b"
  FROM (SELECT arrayJoin([CAST(tuple({p7:String}, {p8:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p9:String}, {p10:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t1
) AS __t3 ON __t2."k" = __t3."k"
ORDER BY __t2."a" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
