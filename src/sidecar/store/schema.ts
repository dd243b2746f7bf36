/**
 * Versioned schema migrations, applied in order at start. Never edit a released migration:
 * add a new one. The same SQL runs on chDB and on a ClickHouse server; on a cluster, dialect.ts
 * turns each CREATE TABLE into its ON CLUSTER, replicated form.
 */
export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'events table, ingest ledger, rejected messages',
    statements: [
      `CREATE TABLE IF NOT EXISTS events (
        time DateTime64(3, 'UTC'),
        received_at DateTime64(3, 'UTC'),
        source_id LowCardinality(String),
        log_type LowCardinality(String),
        event_name String,
        actor String,
        src_ip String,
        src_port Nullable(UInt16),
        dst_ip String,
        dst_port Nullable(UInt16),
        outcome LowCardinality(String),
        status LowCardinality(String),
        severity LowCardinality(String),
        region LowCardinality(String),
        account LowCardinality(String),
        service LowCardinality(String),
        user_agent String,
        bytes Nullable(UInt64),
        raw String CODEC(ZSTD(3)),
        fields Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        bucket LowCardinality(String),
        key String,
        etag String,
        record_index UInt32,
        backfill_id LowCardinality(String),
        INDEX raw_text raw TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 1,
        INDEX actor_bf actor TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX src_ip_bf src_ip TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX event_name_bf event_name TYPE bloom_filter(0.01) GRANULARITY 4
      )
      ENGINE = MergeTree
      PARTITION BY toYYYYMM(time)
      ORDER BY (log_type, source_id, time)
      SETTINGS non_replicated_deduplication_window = 10000`,
      `CREATE TABLE IF NOT EXISTS ingest_ledger (
        source_id LowCardinality(String),
        bucket String,
        key String,
        etag String,
        size UInt64,
        log_type LowCardinality(String),
        status LowCardinality(String),
        events UInt64,
        malformed UInt64,
        malformed_samples String,
        error String,
        min_time Nullable(DateTime64(3, 'UTC')),
        max_time Nullable(DateTime64(3, 'UTC')),
        backfill_id String,
        queue LowCardinality(String),
        processed_at DateTime64(3, 'UTC'),
        duration_ms UInt32
      )
      ENGINE = ReplacingMergeTree(processed_at)
      ORDER BY (bucket, key, etag)`,
      `CREATE TABLE IF NOT EXISTS rejected_messages (
        source_id LowCardinality(String),
        queue String,
        message_id String,
        reason String,
        body String,
        received_at DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree(received_at)
      ORDER BY (queue, message_id)`,
    ],
  },
  {
    version: 2,
    description: 'sources managed through the API',
    statements: [
      `CREATE TABLE IF NOT EXISTS sources (
        id String,
        definition String,
        managed_by LowCardinality(String),
        deleted UInt8,
        updated_at DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree(updated_at)
      ORDER BY id`,
    ],
  },
  {
    version: 3,
    description: 'backfills: requests, listing checkpoints, listed objects, objects handled per backfill',
    statements: [
      `CREATE TABLE IF NOT EXISTS backfills (
        id String,
        source_id LowCardinality(String),
        bucket String,
        region LowCardinality(String),
        prefixes Array(String),
        from_time Nullable(DateTime64(3, 'UTC')),
        to_time Nullable(DateTime64(3, 'UTC')),
        margin_minutes UInt32,
        sort_order LowCardinality(String),
        role_arn String,
        external_id String,
        state LowCardinality(String),
        error String,
        created_at DateTime64(3, 'UTC'),
        updated_at DateTime64(3, 'UTC'),
        finished_at Nullable(DateTime64(3, 'UTC')),
        version UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS backfill_units (
        backfill_id String,
        prefix String,
        filter String,
        unit_time Nullable(DateTime64(3, 'UTC')),
        token String,
        done UInt8,
        pages UInt32,
        seen UInt64,
        enqueued UInt64,
        ignored UInt64,
        version UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      ORDER BY (backfill_id, prefix)`,
      `CREATE TABLE IF NOT EXISTS backfill_listed (
        backfill_id String,
        key String,
        etag String,
        size UInt64,
        key_time DateTime64(3, 'UTC'),
        listed_at DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree(listed_at)
      ORDER BY (backfill_id, key, etag)`,
      `CREATE TABLE IF NOT EXISTS backfill_objects (
        backfill_id String,
        bucket String,
        key String,
        etag String,
        size UInt64,
        status LowCardinality(String),
        events UInt64,
        malformed UInt64,
        min_time Nullable(DateTime64(3, 'UTC')),
        max_time Nullable(DateTime64(3, 'UTC')),
        duplicate UInt8,
        handled_at DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree(handled_at)
      ORDER BY (backfill_id, key, etag)`,
    ],
  },
  {
    version: 4,
    description: 'detections: hits of rules, rule runs (claimed once per window), rule settings, notification deliveries, retro-hunts',
    statements: [
      // Scheduled rule runs select events by the time they were received: a min/max index per
      // granule lets them skip what landed earlier (parts are written, and mostly merged, in
      // the order events arrive).
      `ALTER TABLE events ADD INDEX IF NOT EXISTS received_at_minmax received_at TYPE minmax GRANULARITY 1`,
      // One detection per fingerprint (rule, rule version, group, window). Engine and people write
      // different columns and never read-modify-write: the hit's facts and the status are tuples
      // led by a version, merged by max, so a recount never undoes a status change and a status
      // change never undoes a recount; the other columns are the same in every row of a fingerprint.
      `CREATE TABLE IF NOT EXISTS detections (
        fingerprint String,
        rule_id SimpleAggregateFunction(any, String),
        rule_version SimpleAggregateFunction(any, String),
        title SimpleAggregateFunction(any, String),
        severity SimpleAggregateFunction(any, LowCardinality(String)),
        tags SimpleAggregateFunction(any, Array(String)),
        group_keys SimpleAggregateFunction(any, Map(String, String)),
        window_start SimpleAggregateFunction(any, DateTime64(3, 'UTC')),
        window_end SimpleAggregateFunction(any, DateTime64(3, 'UTC')),
        query SimpleAggregateFunction(any, String),
        facts SimpleAggregateFunction(max, Tuple(version UInt64, count Float64, events UInt64, first_seen DateTime64(3, 'UTC'), last_seen DateTime64(3, 'UTC'))),
        state SimpleAggregateFunction(max, Tuple(version UInt64, status String, changed_by String, changed_at DateTime64(3, 'UTC'), note String)),
        detected_at SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
      )
      ENGINE = AggregatingMergeTree
      ORDER BY fingerprint
      SETTINGS non_replicated_deduplication_window = 10000`,
      // A scheduled run is claimed by inserting its first row with a dedup token of its run id:
      // of two sidecars claiming one window, the second insert is dropped, and reading the row
      // back says who won.
      `CREATE TABLE IF NOT EXISTS rule_runs (
        rule_id String,
        run_id String,
        kind LowCardinality(String),
        rule_version String,
        owner String,
        range_from DateTime64(3, 'UTC'),
        range_to DateTime64(3, 'UTC'),
        state LowCardinality(String),
        hits UInt32,
        new_detections UInt32,
        error String,
        started_at DateTime64(3, 'UTC'),
        finished_at Nullable(DateTime64(3, 'UTC')),
        duration_ms UInt32,
        version UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      ORDER BY (rule_id, run_id)
      SETTINGS non_replicated_deduplication_window = 10000`,
      `CREATE TABLE IF NOT EXISTS rule_settings (
        rule_id String,
        enabled UInt8,
        changed_by String,
        changed_at DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree(changed_at)
      ORDER BY rule_id`,
      // One delivery per detection and channel, claimed like a run (dedup token), then one row
      // version per attempt.
      `CREATE TABLE IF NOT EXISTS detection_deliveries (
        fingerprint String,
        channel String,
        channel_type LowCardinality(String),
        rule_id String,
        title String,
        owner String,
        state LowCardinality(String),
        attempts UInt32,
        last_error String,
        next_at DateTime64(3, 'UTC'),
        created_at DateTime64(3, 'UTC'),
        updated_at DateTime64(3, 'UTC'),
        version UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      ORDER BY (fingerprint, channel)
      SETTINGS non_replicated_deduplication_window = 10000`,
      `CREATE TABLE IF NOT EXISTS detection_hunts (
        id String,
        from_time DateTime64(3, 'UTC'),
        to_time DateTime64(3, 'UTC'),
        rules Array(String),
        notify UInt8,
        requested_by String,
        owner String,
        state LowCardinality(String),
        rules_done UInt32,
        hits UInt32,
        new_detections UInt32,
        errors String,
        created_at DateTime64(3, 'UTC'),
        finished_at Nullable(DateTime64(3, 'UTC')),
        version UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      ORDER BY id`,
    ],
  },
  {
    version: 5,
    description: 'listed pages of backfills, written by whichever sidecar listed each',
    statements: [
      `CREATE TABLE IF NOT EXISTS backfill_pages (
        backfill_id String,
        prefix String,
        page UInt32,
        token String,
        next_token String,
        seen UInt64,
        enqueued UInt64,
        ignored UInt64,
        listed_at DateTime64(3, 'UTC')
      )
      ENGINE = ReplacingMergeTree(listed_at)
      ORDER BY (backfill_id, prefix, page)`,
    ],
  },
  {
    version: 6,
    description: 'hours of running backfills loaded first (query-driven priority): one row per request and change',
    statements: [
      `CREATE TABLE IF NOT EXISTS backfill_priority (
        backfill_id String,
        request_id String,
        from_time DateTime64(3, 'UTC'),
        to_time DateTime64(3, 'UTC'),
        reason LowCardinality(String),
        detail String,
        requested_at DateTime64(3, 'UTC'),
        state LowCardinality(String),
        objects UInt32,
        objects_done UInt32,
        note String,
        version UInt64
      )
      ENGINE = ReplacingMergeTree(version)
      ORDER BY (backfill_id, request_id)`,
    ],
  },
  {
    version: 7,
    description: 'text index over the lower-cased words of raw, for word search in any case; replaces the case-sensitive one',
    statements: [
      // A word in any case is `hasToken(lower(raw), word)` (query/terms.ts), answered by this index
      // alone; a case-sensitive term is pre-filtered by it, then checked on raw. One index serves both,
      // so the case-sensitive one goes: it was as large as raw itself.
      `ALTER TABLE events ADD INDEX IF NOT EXISTS raw_lower_text lower(raw) TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 1`,
      `ALTER TABLE events DROP INDEX IF EXISTS raw_text`,
      // Parts written before this migration get the index in the background (chDB waits for a
      // mutation unless told not to); until then a search reads their raw, with the same results.
      `ALTER TABLE events MATERIALIZE INDEX raw_lower_text SETTINGS mutations_sync = 0`,
    ],
  },
  {
    version: 8,
    description: 'groups of live objects inserted together, recorded before their insert',
    statements: [
      // One row per object of a group (ingest/liveGroups.ts): written before the group's events
      // are inserted, so an object redelivered after a crash is inserted with its group again,
      // under the same deduplication tokens. Thirty days outlast a message's life on its queue.
      `CREATE TABLE IF NOT EXISTS live_groups (
        source_id LowCardinality(String),
        bucket String,
        key String,
        etag String,
        group_id String,
        position UInt32,
        size UInt64,
        region LowCardinality(String),
        event_time String,
        created_at DateTime64(3, 'UTC'),
        INDEX group_bf group_id TYPE bloom_filter(0.01) GRANULARITY 1
      )
      ENGINE = MergeTree
      ORDER BY (bucket, key, etag)
      TTL toDateTime(created_at) + INTERVAL 30 DAY`,
    ],
  },
];
