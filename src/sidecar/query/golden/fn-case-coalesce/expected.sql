SELECT __t0.event_name AS "EventName", multiIf(startsWith(lowerUTF8(__t0.event_name), lowerUTF8({p3:String})), {p4:String}, (startsWith(lowerUTF8(__t0.event_name), lowerUTF8({p5:String})) OR startsWith(lowerUTF8(__t0.event_name), lowerUTF8({p6:String}))), {p7:String}, {p8:String}) AS "kind", multiIf(__t0.fields[{s_userIdentity_userName_6336b7d6:String}] != '', __t0.fields[{s_userIdentity_userName_6336b7d6:String}], __t0.fields[{s_userIdentity_arn_9d88bf1d:String}] != '', __t0.fields[{s_userIdentity_arn_9d88bf1d:String}], {p9:String}) AS "who", multiIf(__t0.fields[{s_errorCode_7536dcb8:String}] != '', __t0.fields[{s_errorCode_7536dcb8:String}], {p10:String}) AS "first", greatest(toFloat64({p11:Int64}), toFloat64({p12:Int64}), toFloat64({p13:Int64})) AS "m", ifNull(least(nullIf({p14:String}, ''), nullIf({p15:String}, '')), '') AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p2:UInt64}, {max_rows:UInt64})
