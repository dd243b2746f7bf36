SELECT __t0.actor AS "actor", length(groupUniqArray(__t0.event_name)) AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.actor
LIMIT {max_rows:UInt64}
