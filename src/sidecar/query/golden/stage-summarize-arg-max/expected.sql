SELECT __t0.actor AS "actor", max(__t0.time) AS "time", argMax(__t0.event_name, __t0.time) AS "eventName", argMax(__t0.src_ip, __t0.time) AS "srcIp"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.actor
LIMIT {max_rows:UInt64}
