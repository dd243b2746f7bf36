SELECT __t0.fields[{p4:String}] AS "srcaddr"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (isIPv4String(__t0.fields[{p2:String}]) AND isIPAddressInRange(if(isIPv4String(__t0.fields[{p2:String}]), __t0.fields[{p2:String}], '0.0.0.0'), {p3:String}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
