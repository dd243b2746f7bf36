SELECT arrayElement(extractGroups(__t0.raw, {p2:String}), 1) AS "client", toInt64OrNull(arrayElement(extractGroups(__t0.raw, {p2:String}), 2)) AS "port"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p3:UInt64}, {max_rows:UInt64})
