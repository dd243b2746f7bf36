SELECT __t0.fields[{s_action_c4642eff:String}] AS "Action", __t0.fields[{s_dstaddr_e2a1ebef:String}] AS "DstAddr", toInt64OrNull(__t0.fields[{s_dstport_aeece737:String}]) AS "DstPort", __t0.fields[{s_srcaddr_2b6e9a86:String}] AS "SrcAddr", toInt64OrNull(__t0.fields[{s_srcport_63178f1a:String}]) AS "SrcPort"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p2:UInt64}, {max_rows:UInt64})
