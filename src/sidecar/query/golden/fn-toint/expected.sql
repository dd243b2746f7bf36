SELECT max(toInt64OrNull(__t0.fields[{p2:String}])) AS "max_code"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
LIMIT {max_rows:UInt64}
