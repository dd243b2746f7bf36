SELECT {p1:Array(String)} AS "a", {p2:Array(String)} AS "b", arrayFilter(__x -> NOT has({p2:Array(String)}, __x), arrayDistinct({p1:Array(String)})) AS "d", arrayDistinct(arrayConcat({p1:Array(String)}, {p2:Array(String)})) AS "u", arrayDistinct(arrayIntersect({p1:Array(String)}, {p2:Array(String)})) AS "i", toBool(has({p1:Array(String)}, {p3:String})) AS "h", toBool(has({p2:Array(String)}, {p4:String})) AS "hn"
FROM (SELECT 0 AS __row) AS __t0
LIMIT {max_rows:UInt64}
