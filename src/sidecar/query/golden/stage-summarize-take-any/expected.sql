SELECT __t0.fields[{p4:String}] AS "dstaddr", count() AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.fields[{p2:String}] = {p3:String})
GROUP BY __t0.fields[{p4:String}]
LIMIT {max_rows:UInt64}
