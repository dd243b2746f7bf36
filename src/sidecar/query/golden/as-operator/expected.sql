SELECT __t2."UserIdentityUserName" AS "UserIdentityUserName", __t2."Login" AS "Login", __t3."Logins" AS "Logins"
FROM (
  SELECT __t0.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName", __t0.time AS "Login"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
    AND __t0.log_type = {p1:String}
    AND (__t0.event_name = {p2:String})
) AS __t2
INNER JOIN (
  SELECT __t1.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName", count() AS "Logins"
  FROM events AS __t1
  WHERE __t1.time >= {from:DateTime64(3, 'UTC')}
    AND __t1.time < {to:DateTime64(3, 'UTC')}
    AND __t1.log_type = {p3:String}
    AND (__t1.event_name = {p4:String})
  GROUP BY __t1.fields[{s_userIdentity_userName_6336b7d6:String}]
) AS __t3 ON __t2."UserIdentityUserName" = __t3."UserIdentityUserName"
ORDER BY __t2."UserIdentityUserName" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
