SELECT __t0.event_name AS "eventName"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND hasToken(lower(__t0.raw), {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
