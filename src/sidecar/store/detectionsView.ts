/**
 * The detections table (migration 4) read one row per fingerprint, in plain column types: its rows merged as the
 * AggregatingMergeTree merges them (the facts and the status with the highest version, the first
 * time it was detected), the tuples' parts as columns of their own. Everything that reads
 * detections, the repository and the search language's `Detections` table, reads this.
 */
export const MERGED_DETECTIONS = `SELECT
  fingerprint, rule_id, rule_version, title, severity, tags, group_keys, window_start, window_end, query, detected_at,
  facts.version AS facts_version, facts.count AS count, facts.events AS events, facts.first_seen AS first_seen, facts.last_seen AS last_seen,
  state.status AS status, state.changed_by AS status_by, state.changed_at AS status_at, state.note AS note
FROM (
  SELECT fingerprint,
    CAST(any(rule_id) AS String) AS rule_id, CAST(any(rule_version) AS String) AS rule_version, CAST(any(title) AS String) AS title,
    CAST(any(severity) AS String) AS severity, CAST(any(tags) AS Array(String)) AS tags, CAST(any(group_keys) AS Map(String, String)) AS group_keys,
    CAST(any(window_start) AS DateTime64(3, 'UTC')) AS window_start, CAST(any(window_end) AS DateTime64(3, 'UTC')) AS window_end,
    CAST(any(query) AS String) AS query, max(facts) AS facts, max(state) AS state, CAST(min(detected_at) AS DateTime64(3, 'UTC')) AS detected_at
  FROM detections
  GROUP BY fingerprint
)`;
