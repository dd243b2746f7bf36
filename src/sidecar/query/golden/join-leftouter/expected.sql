SELECT __t2."k" AS "k", __t2."a" AS "a", __t3."k" AS "k1", if(__t3.__m = 1, __t3."b", NULL) AS "b", if(__t3.__m = 1, __t3."t", NULL) AS "t"
FROM (
  SELECT tupleElement(__t0.__row, 1) AS "k", tupleElement(__t0.__row, 2) AS "a"
  FROM (SELECT arrayJoin([CAST(tuple({p1:String}, {p2:Int64}) AS Tuple(c1 String, c2 Nullable(Int64))), CAST(tuple({p3:String}, {p4:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t0
) AS __t2
LEFT JOIN (
  SELECT tupleElement(__t1.__row, 1) AS "k", tupleElement(__t1.__row, 2) AS "b", tupleElement(__t1.__row, 3) AS "t", 1 AS "__m"
  FROM (SELECT arrayJoin([CAST(tuple({p5:String}, {p6:Int64}, {p7:DateTime64(3, 'UTC')}) AS Tuple(c1 String, c2 Nullable(Int64), c3 Nullable(DateTime64(3, 'UTC')))), CAST(tuple({p8:String}, {p9:Int64}, {p10:DateTime64(3, 'UTC')}) AS Tuple(c1 String, c2 Nullable(Int64), c3 Nullable(DateTime64(3, 'UTC'))))]) AS __row) AS __t1
) AS __t3 ON __t2."k" = __t3."k"
ORDER BY __t2."a" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
