SELECT __t0.time AS "time", __t0.fields[{p3:String}] AS "srcaddr"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time ASC NULLS FIRST
LIMIT least({p2:UInt64}, {max_rows:UInt64})
