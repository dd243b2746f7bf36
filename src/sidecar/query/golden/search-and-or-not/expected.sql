SELECT __t0.log_type AS "logType", __t0.src_ip AS "srcIp"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND ((hasToken(lower(__t0.raw), {p1:String}) OR hasToken(lower(__t0.raw), {p2:String})) AND (NOT (hasAllTokens(lower(__t0.raw), {p3:Array(String)}) AND match(__t0.raw, {p4:String}))))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
