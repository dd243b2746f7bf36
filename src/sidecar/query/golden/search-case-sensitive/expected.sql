SELECT count() AS "Count"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (hasAllTokens(lower(__t0.raw), {p1:Array(String)}) AND hasToken(__t0.raw, {p2:String}))
LIMIT {max_rows:UInt64}
