SELECT toStartOfInterval(__t0.time, toIntervalMillisecond({p2:Int64})) AS "TimeGenerated", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY toStartOfInterval(__t0.time, toIntervalMillisecond({p2:Int64}))
ORDER BY toStartOfInterval(__t0.time, toIntervalMillisecond({p2:Int64})) ASC
LIMIT {max_rows:UInt64}
