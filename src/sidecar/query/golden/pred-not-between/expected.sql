SELECT __t0.bytes AS "bytes"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (NOT ((__t0.bytes >= {p2:Int64}) AND (__t0.bytes <= {p3:Int64})))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
