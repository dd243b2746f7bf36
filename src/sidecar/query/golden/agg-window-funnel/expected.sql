SELECT __t1."actor" AS "actor", __t1."steps" AS "steps"
FROM (
  SELECT __t0.actor AS "actor", windowFunnel({p5:UInt64})(toUInt64(toUnixTimestamp64Milli(__t0.time)), (__t0.event_name = {p2:String}), (__t0.event_name = {p3:String}), (__t0.event_name = {p4:String})) AS "steps"
  FROM events AS __t0
  WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
    AND __t0.time < {to:DateTime64(3, 'UTC')}
    AND __t0.log_type = {p1:String}
  GROUP BY __t0.actor
) AS __t1
WHERE (__t1."steps" > {p6:Int64})
ORDER BY __t1."actor" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
