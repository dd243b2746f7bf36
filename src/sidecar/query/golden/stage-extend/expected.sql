SELECT __t0.time AS "time", toInt64OrNull(__t0.fields[{p2:String}]) AS "code", toBool((toFloat64OrNull(__t0.fields[{p3:String}]) > {p4:Float64})) AS "slow"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
