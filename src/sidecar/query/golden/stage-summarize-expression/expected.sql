SELECT round((({p2:Float64} * countIf((__t0.outcome = {p3:String}))) / count()), {p4:UInt8}) AS "failure_rate"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
LIMIT {max_rows:UInt64}
