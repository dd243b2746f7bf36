SELECT __t1."service" AS "service", __a1 AS "user"
FROM (
  SELECT __t0.service AS "service", groupUniqArray(__t0.actor) AS "users"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
    AND __t0.log_type = {p1:String}
  GROUP BY __t0.service
) AS __t1
ARRAY JOIN __t1."users" AS __a1
LIMIT {max_rows:UInt64}
