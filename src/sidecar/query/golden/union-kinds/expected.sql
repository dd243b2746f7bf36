SELECT __t7."x_string" AS "x_string", __t7."y" AS "y", __t7."z" AS "z", __t7."x_long" AS "x_long", __t7."x" AS "x"
FROM (
  (
    SELECT __t3."x_string" AS "x_string", CAST(__t3."y" AS Nullable(Float64)) AS "y", __t3."z" AS "z", CAST(__t3."x_long" AS Nullable(Float64)) AS "x_long", '' AS "x"
    FROM (
      (
        SELECT tupleElement(__t0.__row, 1) AS "x_string", CAST(tupleElement(__t0.__row, 2) AS Nullable(Float64)) AS "y", '' AS "z", CAST(NULL AS Nullable(Float64)) AS "x_long"
        FROM (SELECT arrayJoin([CAST(tuple({p1:String}, {p2:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t0
      )
      UNION ALL
      (
        SELECT tupleElement(__t1.__row, 1) AS "x_string", CAST(NULL AS Nullable(Float64)) AS "y", tupleElement(__t1.__row, 2) AS "z", CAST(NULL AS Nullable(Float64)) AS "x_long"
        FROM (SELECT arrayJoin([CAST(tuple({p3:String}, {p4:String}) AS Tuple(c1 String, c2 String))]) AS __row) AS __t1
      )
      UNION ALL
      (
        SELECT '' AS "x_string", CAST(NULL AS Nullable(Float64)) AS "y", '' AS "z", CAST(tupleElement(__t2.__row, 1) AS Nullable(Float64)) AS "x_long"
        FROM (SELECT arrayJoin([CAST(tuple({p5:Int64}) AS Tuple(c1 Nullable(Int64)))]) AS __row) AS __t2
      )
    ) AS __t3
  )
  UNION ALL
  (
    SELECT '' AS "x_string", CAST(NULL AS Nullable(Float64)) AS "y", '' AS "z", CAST(NULL AS Nullable(Float64)) AS "x_long", __t6."x" AS "x"
    FROM (
      (
        SELECT tupleElement(__t4.__row, 1) AS "x"
        FROM (SELECT arrayJoin([CAST(tuple({p6:String}, {p7:Int64}) AS Tuple(c1 String, c2 Nullable(Int64)))]) AS __row) AS __t4
      )
      UNION ALL
      (
        SELECT tupleElement(__t5.__row, 1) AS "x"
        FROM (SELECT arrayJoin([CAST(tuple({p8:String}, {p9:String}) AS Tuple(c1 String, c2 String))]) AS __row) AS __t5
      )
    ) AS __t6
  )
) AS __t7
LIMIT {max_rows:UInt64}
