SELECT __t5."Action" AS "Action", __t5."aggregated_Action" AS "aggregated_Action", __t6."DstPort" AS "DstPort", __t6."flows" AS "flows"
FROM (
  SELECT __t2."Action" AS "Action", __t2."aggregated_Action" AS "aggregated_Action"
  FROM (
    SELECT __t1."Action" AS "Action", sum(__t1."Bytes") AS "aggregated_Action", row_number() OVER (ORDER BY sum(__t1."Bytes") DESC) AS "__rank"
    FROM (
      SELECT __t0.time AS "TimeGenerated", __t0.fields[{s_account_id_557d0eae:String}] AS "AccountId", __t0.event_name AS "Action", __t0.fields[{s_az_id_383dc6a8:String}] AS "AzId", __t0.bytes AS "Bytes", __t0.dst_ip AS "DstAddr", __t0.dst_port AS "DstPort", parseDateTime64BestEffortOrNull(nullIf(__t0.fields[{s_end_6a8e75aa:String}], ''), 3, 'UTC') AS "End", __t0.fields[{s_flow_direction_815c6239:String}] AS "FlowDirection", __t0.fields[{s_instance_id_5495e838:String}] AS "InstanceId", __t0.fields[{s_interface_id_5bcb846a:String}] AS "InterfaceId", __t0.fields[{s_log_status_91aa2bde:String}] AS "LogStatus", toInt64OrNull(__t0.fields[{s_packets_21644266:String}]) AS "Packets", __t0.fields[{s_pkt_dstaddr_b18077a5:String}] AS "PktDstAddr", __t0.fields[{s_pkt_dst_aws_service_a97462bc:String}] AS "PktDstAwsService", __t0.fields[{s_pkt_srcaddr_1df3832c:String}] AS "PktSrcAddr", __t0.fields[{s_pkt_src_aws_service_f874f7d1:String}] AS "PktSrcAwsService", toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) AS "Protocol", __t0.fields[{s_region_31afe7d:String}] AS "Region", __t0.src_ip AS "SrcAddr", __t0.src_port AS "SrcPort", __t0.fields[{s_sublocation_id_d4a220f4:String}] AS "SublocationId", __t0.fields[{s_sublocation_type_1240be9:String}] AS "SublocationType", __t0.fields[{s_subnet_id_9c38ead2:String}] AS "SubnetId", toInt64OrNull(__t0.fields[{s_tcp_flags_baf6ba1e:String}]) AS "TcpFlags", __t0.fields[{s_traffic_path_21461eca:String}] AS "TrafficPath", __t0.fields[{s_type_5127f14d:String}] AS "TrafficType", toInt64OrNull(__t0.fields[{s_version_4671ae97:String}]) AS "Version", __t0.fields[{s_vpc_id_9a557ef2:String}] AS "VpcId", {s__811c9dc5:String} AS "SourceSystem", {s__811c9dc5:String} AS "TenantId", {s_AWSVPCFlow_18394ba9:String} AS "Type"
      FROM events AS __t0
      WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
        AND __t0.time < {to:DateTime64(3, 'UTC')}
        AND __t0.log_type = {p1:String}
    ) AS __t1
    GROUP BY __t1."Action"
  ) AS __t2
  WHERE __t2."__rank" <= {p2:UInt64}
) AS __t5
INNER JOIN (
  SELECT __t4."Action" AS "Action", __t4."DstPort" AS "DstPort", __t4."flows" AS "flows"
  FROM (
    SELECT __t3."Action" AS "Action", __t3."DstPort" AS "DstPort", count() AS "flows", row_number() OVER (PARTITION BY __t3."Action" ORDER BY count() DESC) AS "__rank"
    FROM (
      SELECT __t0.time AS "TimeGenerated", __t0.fields[{s_account_id_557d0eae:String}] AS "AccountId", __t0.event_name AS "Action", __t0.fields[{s_az_id_383dc6a8:String}] AS "AzId", __t0.bytes AS "Bytes", __t0.dst_ip AS "DstAddr", __t0.dst_port AS "DstPort", parseDateTime64BestEffortOrNull(nullIf(__t0.fields[{s_end_6a8e75aa:String}], ''), 3, 'UTC') AS "End", __t0.fields[{s_flow_direction_815c6239:String}] AS "FlowDirection", __t0.fields[{s_instance_id_5495e838:String}] AS "InstanceId", __t0.fields[{s_interface_id_5bcb846a:String}] AS "InterfaceId", __t0.fields[{s_log_status_91aa2bde:String}] AS "LogStatus", toInt64OrNull(__t0.fields[{s_packets_21644266:String}]) AS "Packets", __t0.fields[{s_pkt_dstaddr_b18077a5:String}] AS "PktDstAddr", __t0.fields[{s_pkt_dst_aws_service_a97462bc:String}] AS "PktDstAwsService", __t0.fields[{s_pkt_srcaddr_1df3832c:String}] AS "PktSrcAddr", __t0.fields[{s_pkt_src_aws_service_f874f7d1:String}] AS "PktSrcAwsService", toInt64OrNull(__t0.fields[{s_protocol_fb2805b5:String}]) AS "Protocol", __t0.fields[{s_region_31afe7d:String}] AS "Region", __t0.src_ip AS "SrcAddr", __t0.src_port AS "SrcPort", __t0.fields[{s_sublocation_id_d4a220f4:String}] AS "SublocationId", __t0.fields[{s_sublocation_type_1240be9:String}] AS "SublocationType", __t0.fields[{s_subnet_id_9c38ead2:String}] AS "SubnetId", toInt64OrNull(__t0.fields[{s_tcp_flags_baf6ba1e:String}]) AS "TcpFlags", __t0.fields[{s_traffic_path_21461eca:String}] AS "TrafficPath", __t0.fields[{s_type_5127f14d:String}] AS "TrafficType", toInt64OrNull(__t0.fields[{s_version_4671ae97:String}]) AS "Version", __t0.fields[{s_vpc_id_9a557ef2:String}] AS "VpcId", {s__811c9dc5:String} AS "SourceSystem", {s__811c9dc5:String} AS "TenantId", {s_AWSVPCFlow_18394ba9:String} AS "Type"
      FROM events AS __t0
      WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
        AND __t0.time < {to:DateTime64(3, 'UTC')}
        AND __t0.log_type = {p1:String}
    ) AS __t3
    GROUP BY __t3."Action", __t3."DstPort"
  ) AS __t4
  WHERE __t4."__rank" <= {p3:UInt64}
) AS __t6 ON __t5."Action" = __t6."Action"
ORDER BY __t5."aggregated_Action" DESC, __t6."flows" DESC
LIMIT {max_rows:UInt64}
