SELECT any(__t4."id") AS "id", groupArray(__t4."x") AS "top2", sum(__t4."x") AS "total"
FROM (
  SELECT __t3."id" AS "id", __t3."xs" AS "xs", __t3."__rid" AS "__rid", __a1 AS "x"
  FROM (
    SELECT __t2."id" AS "id", __t2."xs" AS "xs", rowNumberInAllBlocks() AS "__rid"
    FROM (
      (
        SELECT CAST({p1:Int64} AS Nullable(Float64)) AS "id", CAST({p2:Array(Float64)} AS Array(Nullable(Float64))) AS "xs"
        FROM (SELECT 0 AS __row) AS __t0
      )
      UNION ALL
      (
        SELECT CAST({p3:Int64} AS Nullable(Float64)) AS "id", CAST({p4:Array(Float64)} AS Array(Nullable(Float64))) AS "xs"
        FROM (SELECT 0 AS __row) AS __t1
      )
    ) AS __t2
  ) AS __t3
  ARRAY JOIN arrayMap(__v -> toInt64OrNull(toString(__v)), __t3."xs") AS __a1
  ORDER BY __a1 DESC NULLS LAST
  LIMIT {p5:UInt64} BY __t3."__rid"
) AS __t4
GROUP BY __t4."__rid"
ORDER BY any(__t4."id") ASC NULLS FIRST
LIMIT {max_rows:UInt64}
