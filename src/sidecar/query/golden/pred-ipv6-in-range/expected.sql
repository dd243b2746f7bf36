SELECT __t0.src_ip AS "srcIp", __t0.log_type AS "logType"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (isIPv6String(__t0.src_ip) AND isIPAddressInRange(__t0.src_ip, {p1:String}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
