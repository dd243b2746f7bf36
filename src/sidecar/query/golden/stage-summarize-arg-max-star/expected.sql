SELECT __t0.fields[{p2:String}] AS "action", max(__t0.time) AS "time", argMax(__t0.src_ip, __t0.time) AS "srcIp", argMax(__t0.dst_port, __t0.time) AS "dstPort"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.fields[{p2:String}]
LIMIT {max_rows:UInt64}
