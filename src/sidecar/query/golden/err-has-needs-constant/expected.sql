SELECT __t0.time AS "time", __t0.received_at AS "receivedAt", __t0.source_id AS "sourceId", __t0.log_type AS "logType", __t0.event_name AS "eventName", __t0.actor AS "actor", __t0.src_ip AS "srcIp", __t0.src_port AS "srcPort", __t0.dst_ip AS "dstIp", __t0.dst_port AS "dstPort", __t0.outcome AS "outcome", __t0.status AS "status", __t0.severity AS "severity", __t0.region AS "region", __t0.account AS "account", __t0.service AS "service", __t0.user_agent AS "userAgent", __t0.bytes AS "bytes", __t0.raw AS "raw", __t0.fields AS "fields", __t0.bucket AS "bucket", __t0.key AS "key"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND (__t0.actor != '' AND match(__t0.raw, concat({p1:String}, regexpQuoteMeta(__t0.actor), {p2:String})))
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
