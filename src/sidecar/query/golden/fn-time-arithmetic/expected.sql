SELECT __t0.time AS "time"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (__t0.time > ({p1:DateTime64(3, 'UTC')} - toIntervalMillisecond({p2:Int64})))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
