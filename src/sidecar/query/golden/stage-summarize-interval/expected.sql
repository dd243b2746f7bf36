SELECT toStartOfInterval(__t0.time, toIntervalMillisecond({__interval:Int64})) AS "time", __t0.log_type AS "logType", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
GROUP BY toStartOfInterval(__t0.time, toIntervalMillisecond({__interval:Int64})), __t0.log_type
ORDER BY toStartOfInterval(__t0.time, toIntervalMillisecond({__interval:Int64})) ASC
LIMIT {max_rows:UInt64}
