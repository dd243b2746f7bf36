SELECT count() AS "n", countIf((toInt64OrNull(__t0.fields[{p2:String}]) >= {p3:Int64})) AS "errors", uniq(__t0.fields[{p4:String}]) AS "clients", sum(__t0.bytes) AS "total", avg(__t0.bytes) AS "mean", min(__t0.time) AS "first", max(__t0.time) AS "last"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
LIMIT {max_rows:UInt64}
