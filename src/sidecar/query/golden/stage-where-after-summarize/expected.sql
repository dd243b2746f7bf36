SELECT __t1."logType" AS "logType", __t1."n" AS "n"
FROM (
  SELECT __t0.log_type AS "logType", count() AS "n"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
  GROUP BY __t0.log_type
) AS __t1
WHERE (__t1."n" > {p1:Int64})
LIMIT {max_rows:UInt64}
