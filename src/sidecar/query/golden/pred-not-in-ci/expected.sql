SELECT count() AS "Count"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (NOT (lowerUTF8(__t0.event_name) IN (lowerUTF8({p2:String}))))
LIMIT {max_rows:UInt64}
