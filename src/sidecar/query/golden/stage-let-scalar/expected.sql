SELECT __t0.time AS "time", __t0.fields[{p5:String}] AS "elb_status_code"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p3:String}
  AND ((toInt64OrNull(__t0.fields[{p4:String}]) >= {p1:Int64}) AND (__t0.time >= {p2:DateTime64(3, 'UTC')}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
