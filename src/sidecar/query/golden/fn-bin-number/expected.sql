SELECT (floor(__t0.bytes / {p2:Int64}) * {p2:Int64}) AS "size", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY (floor(__t0.bytes / {p2:Int64}) * {p2:Int64})
LIMIT {max_rows:UInt64}
