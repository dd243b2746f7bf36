SELECT __t0.fields[{s_userIdentity_arn_9d88bf1d:String}] AS "UserIdentityArn", arrayElement(splitByString({p3:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p6:Int64}) AS "Last", arrayElement(splitByString({p7:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p9:Int64}) AS "First", arrayElement(if(length(splitByString({p10:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}])) >= {p11:Int64}, [arrayElement(splitByString({p10:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p11:Int64})], []), {p13:Int64}) AS "Account", arrayElement(splitByString({p14:String}, __t0.fields[{s_userIdentity_arn_9d88bf1d:String}]), {p16:Int64}) AS "Missing"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p2:UInt64}, {max_rows:UInt64})
