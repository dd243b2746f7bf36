SELECT __t0.event_name AS "EventName", __t0.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName", toBool((__t0.fields[{s_userIdentity_userName_6336b7d6:String}] != '' AND match(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], concat({p4:String}, regexpQuoteMeta(__t0.fields[{s_userIdentity_userName_6336b7d6:String}]), {p5:String})))) AS "self", toBool((__t0.fields[{s_recipientAccountId_ab3ea6ea:String}] != '' AND match(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], concat({p6:String}, regexpQuoteMeta(__t0.fields[{s_recipientAccountId_ab3ea6ea:String}]), {p7:String})))) AS "account", toBool((substringUTF8(__t0.fields[{s_userIdentity_userName_6336b7d6:String}], toInt64({p8:Int64} + 1), toInt64({p9:Int64})) != '' AND match(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], concat({p10:String}, regexpQuoteMeta(substringUTF8(__t0.fields[{s_userIdentity_userName_6336b7d6:String}], toInt64({p8:Int64} + 1), toInt64({p9:Int64}))), {p11:String})))) AS "partial", toBool((NOT (__t0.fields[{s_sourceIPAddress_d64b3f97:String}] != '' AND match(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], concat({p12:String}, regexpQuoteMeta(__t0.fields[{s_sourceIPAddress_d64b3f97:String}]), {p13:String}))))) AS "other"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name IN ({p2:String}, {p3:String}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
