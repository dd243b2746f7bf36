SELECT __t0.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName", min(__t0.time) AS "first", argMin(__t0.event_name, __t0.time) AS "EventName", count() AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.fields[{s_userIdentity_userName_6336b7d6:String}]
ORDER BY __t0.fields[{s_userIdentity_userName_6336b7d6:String}] ASC NULLS FIRST
LIMIT {max_rows:UInt64}
