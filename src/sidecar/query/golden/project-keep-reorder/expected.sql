SELECT __t0.event_name AS "Action", __t0.dst_ip AS "DstAddr", __t0.dst_port AS "DstPort", __t0.src_ip AS "SrcAddr", __t0.src_port AS "SrcPort"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p2:UInt64}, {max_rows:UInt64})
