SELECT count() AS "Count"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (__t0.time < (now64(3, 'UTC') - toIntervalMillisecond({p1:Int64})))
LIMIT {max_rows:UInt64}
