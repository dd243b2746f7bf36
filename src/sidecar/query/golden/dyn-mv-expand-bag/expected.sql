SELECT __a1 AS "d"
FROM (SELECT 0 AS __row) AS __t0
ARRAY JOIN multiIf(JSONType({p1:String}) = 'Array', JSONExtractArrayRaw({p1:String}), JSONType({p1:String}) = 'Object', arrayMap(__kv -> concat('{', toJSONString(__kv.1), ':', __kv.2, '}'), JSONExtractKeysAndValuesRaw({p1:String})), {p1:String} = '', CAST([] AS Array(String)), [{p1:String}]) AS __a1
LIMIT {max_rows:UInt64}
