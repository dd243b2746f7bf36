SELECT __t0.time AS "TimeGenerated", __t0.fields[{s_client_ip_ed5d2c9a:String}] AS "ClientIp", toInt64OrNull(__t0.fields[{s_client_port_33c1446c:String}]) AS "ClientPort", toInt64OrNull(__t0.fields[{s_elb_status_code_663f9117:String}]) AS "ElbStatusCode", __t0.fields[{s_target_status_code_4f0de1f5:String}] AS "TargetStatusCode", __t0.fields[{s_request_3eaa09b2:String}] AS "RequestRaw", __t0.user_agent AS "UserAgent", toInt64OrNull(__t0.fields[{s_sent_bytes_48762a6b:String}]) AS "SentBytes"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (toInt64OrNull(__t0.fields[{s_elb_status_code_663f9117:String}]) >= {p2:Int64})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
