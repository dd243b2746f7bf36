SELECT __t0.log_type AS "logType", count() AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
GROUP BY __t0.log_type
ORDER BY count() DESC NULLS LAST
LIMIT {max_rows:UInt64}
