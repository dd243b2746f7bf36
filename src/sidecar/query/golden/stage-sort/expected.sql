SELECT __t0.fields[{p2:String}] AS "srcaddr", __t0.bytes AS "bytes"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.bytes DESC NULLS LAST
LIMIT least({p3:UInt64}, {max_rows:UInt64})
