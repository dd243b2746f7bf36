SELECT __t2."Action" AS "Action", __t2."flows" AS "flows", __t2."bytes" AS "bytes", __t2."TimeGenerated" AS "TimeGenerated"
FROM (
  SELECT __t1."Action" AS "Action", arrayMap(__p -> if(__p = 0, toFloat64(0), toFloat64(arrayElement(groupArray(__t1."__v0"), __p))), arrayMap(__k -> indexOf(groupArray(__t1."__b"), __k), range(least(toUInt64(greatest(0, ceil((toUnixTimestamp64Milli(any(__t1."__to")) - toUnixTimestamp64Milli(any(__t1."__from"))) / {p2:Int64}))), {p7:UInt64})))) AS "flows", arrayMap(__p -> if(__p = 0, toFloat64({p6:Int64}), toFloat64(arrayElement(groupArray(__t1."__v1"), __p))), arrayMap(__k -> indexOf(groupArray(__t1."__b"), __k), range(least(toUInt64(greatest(0, ceil((toUnixTimestamp64Milli(any(__t1."__to")) - toUnixTimestamp64Milli(any(__t1."__from"))) / {p2:Int64}))), {p7:UInt64})))) AS "bytes", arrayMap(__k -> any(__t1."__from") + toIntervalMillisecond(__k * {p2:Int64}), range(least(toUInt64(greatest(0, ceil((toUnixTimestamp64Milli(any(__t1."__to")) - toUnixTimestamp64Milli(any(__t1."__from"))) / {p2:Int64}))), {p7:UInt64}))) AS "TimeGenerated"
  FROM (
    SELECT __t0.event_name AS "Action", intDiv(toUnixTimestamp64Milli(__t0.time) - toUnixTimestamp64Milli({p3:DateTime64(3, 'UTC')}), {p2:Int64}) AS "__b", any({p3:DateTime64(3, 'UTC')}) AS "__from", any({p4:DateTime64(3, 'UTC')}) AS "__to", count() AS "__v0", sum(__t0.bytes) AS "__v1"
    FROM events AS __t0
    WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
      AND __t0.time < {to:DateTime64(3, 'UTC')}
      AND __t0.log_type = {p1:String}
      AND __t0.time >= {p3:DateTime64(3, 'UTC')}
      AND __t0.time < {p4:DateTime64(3, 'UTC')}
    GROUP BY __t0.event_name, intDiv(toUnixTimestamp64Milli(__t0.time) - toUnixTimestamp64Milli({p3:DateTime64(3, 'UTC')}), {p2:Int64})
  ) AS __t1
  GROUP BY __t1."Action"
) AS __t2
ORDER BY __t2."Action" ASC NULLS FIRST
LIMIT {max_rows:UInt64}
