SELECT JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p3:String}) AS "a", JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p4:String}, {p5:String}, {p8:Int64}, {p9:String}) AS "b", if(JSONType(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p10:String}, {p12:Int64})) = 'String', JSONExtractString(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p10:String}, {p12:Int64})), JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p10:String}, {p12:Int64})) AS "c", JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}, {p13:String}, {p14:String}) AS "d"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name = {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
