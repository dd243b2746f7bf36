SELECT __t2."User" AS "User", __t2."SourceIpAddress" AS "SourceIpAddress", __t2."Login" AS "Login", __t3."Later" AS "Later", __t3."EventName" AS "EventName"
FROM (
  SELECT __t0.time AS "Login", __t0.fields[{s_userIdentity_userName_6336b7d6:String}] AS "User", __t0.fields[{s_sourceIPAddress_d64b3f97:String}] AS "SourceIpAddress"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
    AND __t0.log_type = {p1:String}
    AND (__t0.event_name = {p2:String})
) AS __t2
INNER JOIN (
  SELECT __t1.time AS "Later", __t1.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName", __t1.fields[{s_sourceIPAddress_d64b3f97:String}] AS "SourceIpAddress", __t1.event_name AS "EventName"
  FROM events AS __t1
  WHERE __t1.time >= {from:DateTime64(3, 'UTC')}
    AND __t1.time < {to:DateTime64(3, 'UTC')}
    AND __t1.log_type = {p3:String}
    AND (__t1.event_name != {p4:String})
) AS __t3 ON __t2."User" = __t3."UserIdentityUserName" AND __t2."SourceIpAddress" = __t3."SourceIpAddress"
WHERE (__t3."Later" > __t2."Login")
ORDER BY __t3."Later" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
