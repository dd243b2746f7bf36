SELECT toStartOfInterval(__t0.time, toIntervalMillisecond({__interval:Int64})) AS "time", count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p1:String}
GROUP BY toStartOfInterval(__t0.time, toIntervalMillisecond({__interval:Int64}))
ORDER BY toStartOfInterval(__t0.time, toIntervalMillisecond({__interval:Int64})) ASC
LIMIT {max_rows:UInt64}
