SELECT multiIf(JSONType(__t0.raw, {p2:String}, {p3:String}) = 'String', JSONExtractString(__t0.raw, {p2:String}, {p3:String}), JSONType(__t0.raw, {p2:String}, {p3:String}) = 'Null', '', JSONExtractRaw(__t0.raw, {p2:String}, {p3:String})) AS "mfa", multiIf(JSONType(__t0.raw, {p4:String}) = 'String', JSONExtractString(__t0.raw, {p4:String}), JSONType(__t0.raw, {p4:String}) = 'Null', '', JSONExtractRaw(__t0.raw, {p4:String})) AS "login", multiIf(JSONType(__t0.raw, {p5:String}, {p6:String}, {p7:Int64}) = 'String', JSONExtractString(__t0.raw, {p5:String}, {p6:String}, {p7:Int64}), JSONType(__t0.raw, {p5:String}, {p6:String}, {p7:Int64}) = 'Null', '', JSONExtractRaw(__t0.raw, {p5:String}, {p6:String}, {p7:Int64})) AS "first"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (NOT empty(multiIf(JSONType(__t0.raw, {p2:String}, {p3:String}) = 'String', JSONExtractString(__t0.raw, {p2:String}, {p3:String}), JSONType(__t0.raw, {p2:String}, {p3:String}) = 'Null', '', JSONExtractRaw(__t0.raw, {p2:String}, {p3:String}))))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
