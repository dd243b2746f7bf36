SELECT __t0.src_ip AS "srcIp", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND ((NOT ((isIPv4String(__t0.src_ip) AND isIPAddressInRange(if(isIPv4String(__t0.src_ip), __t0.src_ip, '0.0.0.0'), {p1:String})) OR (isIPv4String(__t0.src_ip) AND isIPAddressInRange(if(isIPv4String(__t0.src_ip), __t0.src_ip, '0.0.0.0'), {p2:String})) OR (isIPv4String(__t0.src_ip) AND isIPAddressInRange(if(isIPv4String(__t0.src_ip), __t0.src_ip, '0.0.0.0'), {p3:String})))) AND (NOT empty(__t0.src_ip)))
GROUP BY __t0.src_ip
LIMIT {max_rows:UInt64}
