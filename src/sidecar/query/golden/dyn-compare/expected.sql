SELECT __t0.event_name AS "EventName", if(JSONExtractRaw(__t0.raw, {s_responseElements_70c903ff:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_responseElements_70c903ff:String})) AS "r", if(JSONExtractRaw(__t0.raw, {s_additionalEventData_aff9a4bc:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_additionalEventData_aff9a4bc:String})) AS "a"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (((if(JSONType(JSONExtractRaw(__t0.raw, {s_responseElements_70c903ff:String}, {p2:String})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_responseElements_70c903ff:String}, {p2:String})), JSONExtractRaw(__t0.raw, {s_responseElements_70c903ff:String}, {p2:String})) = {p3:String}) OR (if(JSONType(JSONExtractRaw(__t0.raw, {s_additionalEventData_aff9a4bc:String}, {p4:String})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_additionalEventData_aff9a4bc:String}, {p4:String})), JSONExtractRaw(__t0.raw, {s_additionalEventData_aff9a4bc:String}, {p4:String})) = {p5:String})) OR (if(JSONType(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p6:String})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p6:String})), JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p6:String})) = if(false, 'true', 'false')))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
