SELECT __t0.time AS "time", __t0.actor AS "actor"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (hasAllTokens(lower(__t0.raw), {p1:Array(String)}) AND match(__t0.raw, {p2:String}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
