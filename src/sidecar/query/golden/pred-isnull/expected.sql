SELECT __t0.time AS "time"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND isNull(__t0.dst_port)
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
