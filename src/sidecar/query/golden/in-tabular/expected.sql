SELECT __t0.event_name AS "EventName", __t0.fields[{s_sourceIPAddress_d64b3f97:String}] AS "SourceIpAddress"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.fields[{s_sourceIPAddress_d64b3f97:String}] IN (SELECT __s."SrcAddr" FROM (SELECT __t1.src_ip AS "SrcAddr"
FROM events AS __t1
WHERE __t1.time >= {from:DateTime64(3, 'UTC')}
  AND __t1.time < {to:DateTime64(3, 'UTC')}
  AND __t1.log_type = {p2:String}
  AND (__t1.event_name = {p3:String})
ORDER BY __t1.time DESC) AS __s))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
