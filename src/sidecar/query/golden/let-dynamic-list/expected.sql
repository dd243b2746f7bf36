SELECT __t0.event_name AS "EventName", __t0.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p3:String}
  AND ((has({p4:Array(String)}, __t0.fields[{s_userIdentity_userName_6336b7d6:String}])) AND (__t0.time > {p2:DateTime64(3, 'UTC')}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
