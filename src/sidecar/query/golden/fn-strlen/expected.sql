SELECT __t0.event_name AS "eventName", lengthUTF8(__t0.event_name) AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY lengthUTF8(__t0.event_name) DESC NULLS LAST, __t0.event_name ASC NULLS FIRST
LIMIT least({p2:UInt64}, {max_rows:UInt64})
