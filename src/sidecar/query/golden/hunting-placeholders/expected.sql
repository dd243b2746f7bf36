SELECT count() AS "count_"
FROM events AS __t0
WHERE __t0.time >= {from:DateTime64(3, 'UTC')}
  AND __t0.time < {to:DateTime64(3, 'UTC')}
  AND __t0.log_type = {p3:String}
  AND ((__t0.time >= {from:DateTime64(3, 'UTC')}) AND (__t0.time <= {to:DateTime64(3, 'UTC')}))
LIMIT {max_rows:UInt64}
