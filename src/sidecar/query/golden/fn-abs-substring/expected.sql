SELECT abs((__t0.src_port - __t0.dst_port)) AS "d", substringUTF8(__t0.fields[{p3:String}], toInt64({p4:Int64} + 1), toInt64({p5:Int64})) AS "eni"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p2:UInt64}, {max_rows:UInt64})
