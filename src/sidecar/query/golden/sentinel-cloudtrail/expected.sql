SELECT __t0.time AS "TimeGenerated", __t0.event_name AS "EventName", __t0.service AS "EventSource", __t0.fields[{s_userIdentity_type_5470d302:String}] AS "UserIdentityType", __t0.fields[{s_userIdentity_arn_9d88bf1d:String}] AS "UserIdentityArn", __t0.fields[{s_userIdentity_userName_6336b7d6:String}] AS "UserIdentityUserName", __t0.fields[{s_sourceIPAddress_d64b3f97:String}] AS "SourceIpAddress", __t0.region AS "AWSRegion", toBool(multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL)) AS "ReadOnly", __t0.fields[{s_errorCode_7536dcb8:String}] AS "ErrorCode", if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String})) AS "RequestParameters", {s_AWSCloudTrail_bca65ae9:String} AS "Type"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name IN ({p2:String}, {p3:String}, {p4:String}))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
