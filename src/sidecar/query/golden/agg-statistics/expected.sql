SELECT toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) AS "Protocol", quantile({p2:Float64})(toInt64OrNull(__t0.fields[{s_bytes_65b1d004:String}])) AS "p50", quantile({p3:Float64})(toInt64OrNull(__t0.fields[{s_bytes_65b1d004:String}])) AS "percentile_Bytes_25", quantile({p4:Float64})(toInt64OrNull(__t0.fields[{s_bytes_65b1d004:String}])) AS "percentile_Bytes_90", stddevSamp(toInt64OrNull(__t0.fields[{s_bytes_65b1d004:String}])) AS "sd", varSamp(toInt64OrNull(__t0.fields[{s_bytes_65b1d004:String}])) AS "v", any(__t0.fields[{s_action_c4642eff:String}]) AS "any_action", any(__t0.fields[{s_action_c4642eff:String}]) AS "action"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}])
ORDER BY toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) ASC NULLS FIRST
LIMIT {max_rows:UInt64}
