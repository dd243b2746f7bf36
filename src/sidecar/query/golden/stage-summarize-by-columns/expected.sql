SELECT __t0.log_type AS "logType", __t0.severity AS "severity", count() AS "events"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
GROUP BY __t0.log_type, __t0.severity
LIMIT {max_rows:UInt64}
