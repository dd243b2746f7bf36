SELECT __t0.event_name AS "EventName", __t0.user_agent AS "UserAgent", __t0.fields[{s_userIdentity_arn_9d88bf1d:String}] AS "UserIdentityArn"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND ((hasToken(__t0.user_agent, {p2:String}) OR hasTokenCaseInsensitive(__t0.user_agent, {p3:String})) OR (hasTokenCaseInsensitive(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], {p4:String}) OR match(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], {p5:String})))
  AND (NOT hasTokenCaseInsensitive(__t0.user_agent, {p6:String}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
