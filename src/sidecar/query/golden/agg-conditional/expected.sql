SELECT __t0.fields[{s_userIdentity_type_5470d302:String}] AS "UserIdentityType", count() AS "events", countIf((NOT empty(__t0.fields[{s_errorCode_7536dcb8:String}]))) AS "failures", sumIf({p2:Int64}, multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL)) AS "reads", uniqIf(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL)) AS "users", arraySort(groupUniqArrayIf(__t0.fields[{s_sourceIPAddress_d64b3f97:String}], (multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL) = false))) AS "ips", arraySort(groupArray(__t0.event_name)) AS "names"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY __t0.fields[{s_userIdentity_type_5470d302:String}]
LIMIT {max_rows:UInt64}
