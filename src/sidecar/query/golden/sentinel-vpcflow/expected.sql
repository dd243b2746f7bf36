SELECT __t0.time AS "TimeGenerated", parseDateTime64BestEffortOrNull(nullIf(__t0.fields[{s_end_6a8e75aa:String}], ''), 3, 'UTC') AS "End", __t0.src_ip AS "SrcAddr", __t0.src_port AS "SrcPort", __t0.dst_ip AS "DstAddr", __t0.dst_port AS "DstPort", toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) AS "Protocol", toInt64OrNull(__t0.fields[{s_packets_21644266:String}]) AS "Packets", __t0.bytes AS "Bytes", __t0.event_name AS "Action", __t0.fields[{s_log_status_91aa2bde:String}] AS "LogStatus", __t0.fields[{s_interface_id_5bcb846a:String}] AS "InterfaceId", __t0.fields[{s_account_id_557d0eae:String}] AS "AccountId"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name = {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
