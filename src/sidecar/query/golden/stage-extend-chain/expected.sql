SELECT __t0.time AS "time", lowerUTF8(__t0.actor) AS "user", substringUTF8(lowerUTF8(__t0.actor), toInt64({p2:Int64} + 1)) AS "short"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
ORDER BY __t0.time DESC
LIMIT least({p3:UInt64}, {max_rows:UInt64})
