SELECT __t0.fields[{p5:String}] AS "elb_status_code"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (toFloat64OrNull(__t0.fields[{p2:String}]) IN ({p3:Int64}, {p4:Int64}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
