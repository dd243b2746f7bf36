SELECT length(splitByString({p2:String}, __t0.fields[{p3:String}])) AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p4:UInt64}, {max_rows:UInt64})
