SELECT __t0.time AS "TimeGenerated", toDateTime64(toStartOfDay(__t0.time), 3, 'UTC') AS "day", toDateTime64(toStartOfWeek(__t0.time, 0), 3, 'UTC') AS "week", toDateTime64(toStartOfMonth(__t0.time), 3, 'UTC') AS "month", formatDateTime(__t0.time, {p4:String}) AS "text", dateDiff({p6:String}, __t0.time, {p5:DateTime64(3, 'UTC')}) AS "hours", (__t0.time + toIntervalDay(toInt64({p7:Int64}))) AS "later", (toUnixTimestamp64Milli({p3:DateTime64(3, 'UTC')}) - toUnixTimestamp64Milli(__t0.time)) AS "age", toBool(((toUnixTimestamp64Milli({p3:DateTime64(3, 'UTC')}) - toUnixTimestamp64Milli(__t0.time)) > {p8:Int64})) AS "older", ((toUnixTimestamp64Milli({p3:DateTime64(3, 'UTC')}) - toUnixTimestamp64Milli(__t0.time)) / {p9:Int64}) AS "days"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
  AND (__t0.event_name = {p2:String})
ORDER BY __t0.time DESC
LIMIT {max_rows:UInt64}
