SELECT toString(__t0.dst_port) AS "port"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (toString(__t0.dst_port) = {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
