SELECT __t0.src_ip AS "srcIp", min(__t0.time) AS "first", argMin(__t0.fields[{p2:String}], __t0.time) AS "request_url"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.src_ip
LIMIT {max_rows:UInt64}
