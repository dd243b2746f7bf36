SELECT count() AS "Count"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (hasTokenCaseInsensitive(__t0.fields[{p2:String}], {p4:String}) OR hasTokenCaseInsensitive(__t0.fields[{p3:String}], {p5:String}))
LIMIT {max_rows:UInt64}
