SELECT __t0.fields[{s_type_5127f14d:String}] AS "ActivityType", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND ((toInt64OrNull(__t0.fields[{s_severity_8ffc4fb2:String}]) >= {p2:Int64}) AND (if(JSONType(JSONExtractRaw(__t0.raw, {s_resource_29df7ff5:String}, {p3:String})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_resource_29df7ff5:String}, {p3:String})), JSONExtractRaw(__t0.raw, {s_resource_29df7ff5:String}, {p3:String})) = {p4:String}))
GROUP BY __t0.fields[{s_type_5127f14d:String}]
LIMIT {max_rows:UInt64}
