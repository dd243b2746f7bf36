SELECT extractAll(__t0.fields[{s_sourceIPAddress_d64b3f97:String}], {p3:String}) AS "a", replaceAll(__t0.user_agent, {p4:String}, {p5:String}) AS "b", replaceRegexpAll({p6:String}, {p7:String}, '') AS "c", replaceRegexpAll({p8:String}, {p9:String}, '') AS "d", replaceRegexpAll({p10:String}, {p11:String}, '') AS "e", concat(lowerUTF8(__t0.event_name), {p12:String}, upperUTF8(__t0.region)) AS "f", (toInt64(positionUTF8(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], {p13:String})) - 1) AS "g", if(match(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], {p14:String}), toInt64(position(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], regexpExtract(__t0.fields[{s_userIdentity_arn_9d88bf1d:String}], {p14:String}, 0))) - 1, -1) AS "h"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name = {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
