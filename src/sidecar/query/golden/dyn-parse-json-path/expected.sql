SELECT __t0.event_name AS "EventName", if(JSONType(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p2:String})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p2:String})), JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p2:String})) AS "Policy", JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}, {p4:String}, {p6:Int64}, {p7:String}) AS "Image", if(JSONType(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}, {p4:String}, {p6:Int64}, {p7:String})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}, {p4:String}, {p6:Int64}, {p7:String})), JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}, {p4:String}, {p6:Int64}, {p7:String})) AS "Image1"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (NOT empty(if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}))))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
