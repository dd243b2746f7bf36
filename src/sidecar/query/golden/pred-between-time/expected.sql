SELECT __t0.time AS "time", __t0.log_type AS "logType"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND ((__t0.time >= {p1:DateTime64(3, 'UTC')}) AND (__t0.time <= {p2:DateTime64(3, 'UTC')}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
