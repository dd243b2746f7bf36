SELECT __t3."k" AS "k", __t3."b" AS "b"
FROM (
  SELECT tupleElement(__t0.__row, 1) AS "k", tupleElement(__t0.__row, 2) AS "a"
  FROM (SELECT arrayJoin([CAST(tuple({p1:String}, {p2:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p3:String}, {p4:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t0
) AS __t2
RIGHT ANTI JOIN (
  SELECT tupleElement(__t1.__row, 1) AS "k", tupleElement(__t1.__row, 2) AS "b"
  FROM (SELECT arrayJoin([CAST(tuple({p5:String}, {p6:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p7:String}, {p8:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t1
) AS __t3 ON __t2."k" = __t3."k"
LIMIT {max_rows:UInt64}
