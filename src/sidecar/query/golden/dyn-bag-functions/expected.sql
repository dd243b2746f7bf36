SELECT JSONExtractKeys(if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}))) AS "keys", if(JSONType(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}, {p4:String})) = 'Array', length(JSONExtractArrayRaw(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}, {p4:String}))), NULL) AS "n", if(JSONType(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p5:String})) = 'Array', length(JSONExtractArrayRaw(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p5:String}))), NULL) AS "none"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name = {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
