SELECT __t2."TimeGenerated" AS "TimeGenerated", __t2."What" AS "What"
FROM (
  (
    SELECT CAST(__t0.time AS Nullable(DateTime64(3, 'UTC'))) AS "TimeGenerated", __t0.event_name AS "What"
    FROM events AS __t0
    WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
      AND __t0.time < {to:DateTime64(3, 'UTC')}
      AND __t0.log_type = {p1:String}
      AND (__t0.event_name = {p2:String})
  )
  UNION ALL
  (
    SELECT CAST(__t1.time AS Nullable(DateTime64(3, 'UTC'))) AS "TimeGenerated", __t1.event_name AS "What"
    FROM events AS __t1
    WHERE __t1.time >= {from:DateTime64(3, 'UTC')}
      AND __t1.time < {to:DateTime64(3, 'UTC')}
      AND __t1.log_type = {p3:String}
      AND (__t1.event_name = {p4:String})
  )
) AS __t2
ORDER BY __t2."TimeGenerated" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
