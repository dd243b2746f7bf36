SELECT arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 1) AS "verb", arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 2) AS "url", arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 3) AS "proto"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p4:UInt64}, {max_rows:UInt64})
