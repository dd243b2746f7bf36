SELECT __t0.log_type AS "logType", __t0.bytes AS "bytes"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (__t0.bytes > {p1:Float64})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
