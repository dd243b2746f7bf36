SELECT arrayElement(splitByString({p3:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p6:Int64}) AS "User", count() AS "n", concat({p7:String}, arrayElement(splitByString({p8:String}, arrayElement(splitByString({p3:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p6:Int64})), {p11:Int64})) AS "label", concat({p12:String}, arrayElement(splitByString({p13:String}, arrayElement(splitByString({p3:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p6:Int64})), {p16:Int64})) AS "other"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p2:String}
  AND (__t0.fields[{s_userIdentity_type_5470d302:String}] = {p1:String})
GROUP BY arrayElement(splitByString({p3:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p6:Int64})
ORDER BY count() DESC NULLS LAST, arrayElement(splitByString({p3:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p6:Int64}) ASC NULLS FIRST
LIMIT least({p17:UInt64}, {max_rows:UInt64})
