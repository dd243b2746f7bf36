SELECT {p1:String} AS "a", '' AS "b", {p2:Array(String)} AS "c", JSONExtractRaw({p3:String}, {p4:String}) AS "d", arrayElement({p5:Array(Float64)}, {p8:Int64}) AS "e"
FROM (SELECT 0 AS __row) AS __t0
LIMIT {max_rows:UInt64}
