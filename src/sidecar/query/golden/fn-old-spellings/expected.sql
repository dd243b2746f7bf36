SELECT __t1."UserIdentityType" AS "UserIdentityType", __a1 AS "kinds", length(__t1."names") AS "Column3"
FROM (
  SELECT __t0.fields[{s_userIdentity_type_5470d302:String}] AS "UserIdentityType", groupUniqArray(if(multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL), {p3:String}, {p4:String})) AS "kinds", groupArray({p5:UInt64})(__t0.event_name) AS "names"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
    AND __t0.log_type = {p1:String}
    AND (__t0.event_name != {p2:String})
  GROUP BY __t0.fields[{s_userIdentity_type_5470d302:String}]
) AS __t1
ARRAY JOIN __t1."kinds" AS __a1
ORDER BY __a1 ASC NULLS FIRST
LIMIT {max_rows:UInt64}
