SELECT __t0.fields[{p2:String}] AS "action", length(groupArray({p3:UInt64})(__t0.dst_port)) AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.fields[{p2:String}]
LIMIT {max_rows:UInt64}
