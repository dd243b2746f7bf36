SELECT toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) AS "Protocol", __t0.event_name AS "Action", quantile({p2:Float64})(__t0.bytes) AS "p50", quantile({p3:Float64})(__t0.bytes) AS "percentile_Bytes_25", quantile({p4:Float64})(__t0.bytes) AS "percentile_Bytes_90", stddevSamp(__t0.bytes) AS "sd", varSamp(__t0.bytes) AS "v", any(__t0.event_name) AS "any_action", any(__t0.event_name) AS "action"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]), __t0.event_name
ORDER BY toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) ASC NULLS FIRST, __t0.event_name ASC NULLS FIRST
LIMIT {max_rows:UInt64}
