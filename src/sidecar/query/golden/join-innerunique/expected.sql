SELECT __t2."k" AS "k", count() AS "rows", groupUniqArray(__t3."b") AS "bs"
FROM (
  SELECT tupleElement(__t0.__row, 1) AS "k", tupleElement(__t0.__row, 2) AS "a"
  FROM (SELECT arrayJoin([CAST(tuple({p1:String}, {p2:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p3:String}, {p4:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p5:String}, {p6:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t0
  LIMIT 1 BY tupleElement(__t0.__row, 1)
) AS __t2
INNER JOIN (
  SELECT tupleElement(__t1.__row, 1) AS "k", tupleElement(__t1.__row, 2) AS "b"
  FROM (SELECT arrayJoin([CAST(tuple({p7:String}, {p8:String}) AS Tuple(c1 String, c2 String)), CAST(tuple({p9:String}, {p10:String}) AS Tuple(c1 String, c2 String)), CAST(tuple({p11:String}, {p12:String}) AS Tuple(c1 String, c2 String))]) AS __row) AS __t1
) AS __t3 ON __t2."k" = __t3."k"
GROUP BY __t2."k"
LIMIT {max_rows:UInt64}
