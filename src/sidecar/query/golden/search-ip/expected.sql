SELECT __t0.log_type AS "logType", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (hasAllTokens(lower(__t0.raw), {p1:Array(String)}) AND match(__t0.raw, {p2:String}))
GROUP BY __t0.log_type
LIMIT {max_rows:UInt64}
