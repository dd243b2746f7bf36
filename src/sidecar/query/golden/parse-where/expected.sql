SELECT arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 1) AS "verb", arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 2) AS "host", toInt64OrNull(arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 3)) AS "port", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND match(__t0.fields[{p2:String}], {p3:String})
GROUP BY arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 1), arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 2), toInt64OrNull(arrayElement(extractGroups(__t0.fields[{p2:String}], {p3:String}), 3))
LIMIT {max_rows:UInt64}
