SELECT if(JSONType(JSONExtractRaw(if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String})), {p2:String})) = 'String', JSONExtractString(JSONExtractRaw(if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String})), {p2:String})), JSONExtractRaw(if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String})), {p2:String})) AS "Bucket", count() AS "n"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (NOT empty(if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}))))
GROUP BY if(JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}) = 'null', '', JSONExtractRaw(__t0.raw, {s_requestParameters_7f33f9a2:String}))
LIMIT {max_rows:UInt64}
