SELECT __t0.time AS "time", upperUTF8(__t0.actor) AS "actor"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (positionCaseInsensitiveUTF8(upperUTF8(__t0.actor), {p2:String}) > 0)
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
