SELECT __t0.src_ip AS "srcIp", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p2:String}
  AND (has({p3:Array(String)}, __t0.src_ip))
GROUP BY __t0.src_ip
LIMIT {max_rows:UInt64}
