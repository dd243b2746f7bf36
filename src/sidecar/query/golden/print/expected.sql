SELECT {p3:Int64} AS "x", concat({p4:String}, {p5:String}) AS "s", ({p6:DateTime64(3, 'UTC')} + toIntervalMillisecond({p7:Int64})) AS "t"
FROM (SELECT 0 AS __row) AS __t0
LIMIT {max_rows:UInt64}
