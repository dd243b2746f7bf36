SELECT concat(__t0.fields[{p2:String}], {p3:String}, __t0.fields[{p4:String}]) AS "flow", if((__t0.fields[{p5:String}] = {p6:String}), {p7:String}, {p8:String}) AS "verdict"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p9:UInt64}, {max_rows:UInt64})
