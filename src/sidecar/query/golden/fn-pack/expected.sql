SELECT concat('{', toJSONString({p3:String}), ':', toJSONString(__t0.event_name), ',', toJSONString({p4:String}), ':', ifNull(toJSONString(concat(replaceOne(toString(__t0.time), ' ', 'T'), 'Z')), 'null'), ',', toJSONString({p5:String}), ':', multiIf(isNull(multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL)), 'null', multiIf(lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'true', true, lowerUTF8(__t0.fields[{s_readOnly_4e39cf17:String}]) = 'false', false, NULL), 'true', 'false'), ',', toJSONString({p6:String}), ':', ifNull(toString({p7:Int64}), 'null'), '}') AS "bag", concat('{', toJSONString({p8:String}), ':', toJSONString(__t0.fields[{s_sourceIPAddress_d64b3f97:String}]), '}') AS "bag2", [{p9:String}, {p10:String}] AS "list"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p2:UInt64}, {max_rows:UInt64})
