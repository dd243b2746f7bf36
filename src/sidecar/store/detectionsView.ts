/**
 * The detections table (migration 4) read one row per fingerprint: its rows merged as the
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
    any(rule_id) AS rule_id, any(rule_version) AS rule_version, any(title) AS title, any(severity) AS severity, any(tags) AS tags,
    any(group_keys) AS group_keys, any(window_start) AS window_start, any(window_end) AS window_end, any(query) AS query,
    max(facts) AS facts, max(state) AS state, min(detected_at) AS detected_at
  FROM detections
  GROUP BY fingerprint
)`;
