SELECT __t2."srcIp" AS "srcIp", __t2."logins" AS "logins", __t3."srcIp" AS "srcIp1", if(__t3.__m = 1, __t3."flows", NULL) AS "flows"
FROM (
  SELECT __t0.src_ip AS "srcIp", count() AS "logins"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
    AND __t0.log_type = {p1:String}
    AND (__t0.event_name = {p2:String})
  GROUP BY __t0.src_ip
) AS __t2
LEFT JOIN (
  SELECT __t1.src_ip AS "srcIp", count() AS "flows", 1 AS "__m"
  FROM events AS __t1
  WHERE __t1.time >= {from:DateTime64(3, 'UTC')}
    AND __t1.time < {to:DateTime64(3, 'UTC')}
    AND __t1.log_type = {p3:String}
  GROUP BY __t1.src_ip
) AS __t3 ON __t2."srcIp" = __t3."srcIp"
ORDER BY __t2."srcIp" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
