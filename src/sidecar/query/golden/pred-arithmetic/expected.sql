SELECT __t0.fields[{p4:String}] AS "srcaddr", round((__t0.bytes / toFloat64OrNull(__t0.fields[{p2:String}])), {p3:UInt8}) AS "per_packet"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY round((__t0.bytes / toFloat64OrNull(__t0.fields[{p2:String}])), {p3:UInt8}) DESC NULLS LAST
LIMIT least({p5:UInt64}, {max_rows:UInt64})
