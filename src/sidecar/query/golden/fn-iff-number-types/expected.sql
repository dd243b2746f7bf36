SELECT sum(if(true, toFloat64(__t0.bytes), toFloat64({p2:Int64}))) AS "s", sum(multiIf((__t0.bytes > {p3:Int64}), toFloat64(__t0.bytes), toFloat64({p4:Int64}))) AS "c", max(coalesce(toFloat64(__t0.bytes), toFloat64({p5:Int64}))) AS "m", if((count() > {p6:Int64}), toFloat64(count()), toFloat64({p7:Int64})) AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
LIMIT {max_rows:UInt64}
