import { MERGED_DETECTIONS } from '../store/detectionsView';
import type { ValueType } from './tables';

export interface RelationColumn {
  /** Name in the language. */
  name: string;
  /** Its SQL over the relation's row, read as `t`. */
  sql: (t: string) => string;
  type: ValueType;
  element?: ValueType;
  nullable?: boolean;
}

const column = (name: string, sqlName: string, type: ValueType, element?: ValueType): RelationColumn => ({
  name,
  sql: (t) => `${t}.${sqlName}`,
  type,
  element,
});

/** A table of the language that reads something other than events. */
export interface Relation {
  name: string;
  /** What it holds, for the editor's completion. */
  detail: string;
  /** The FROM of its rows: a table or a subquery in parentheses. */
  from: string;
  /** A row is in the request's time range when [start, end] overlaps it. */
  start: string;
  end: string;
  columns: readonly RelationColumn[];
}

/**
 * `Detections`: what the rules found, one row per detection (the detections table read through
 * MERGED_DETECTIONS). `time` is the first event; a detection is in the time range when its events
 * overlap it. `fields` holds its group-by keys, so `Detections | where sourceIPAddress == "…"` reads
 * like a query of events.
 */
export const DETECTIONS_TABLE: Relation = {
  name: 'Detections',
  detail: 'what the detection rules found',
  from: `(${MERGED_DETECTIONS})`,
  start: 'first_seen',
  end: 'last_seen',
  columns: [
    column('time', 'first_seen', 'time'),
    column('lastSeen', 'last_seen', 'time'),
    column('detectedAt', 'detected_at', 'time'),
    column('ruleId', 'rule_id', 'string'),
    column('title', 'title', 'string'),
    column('severity', 'severity', 'string'),
    column('tags', 'tags', 'array', 'string'),
    column('status', 'status', 'string'),
    column('statusBy', 'status_by', 'string'),
    column('note', 'note', 'string'),
    column('count', 'count', 'number'),
    column('events', 'events', 'number'),
    {
      name: 'keys',
      sql: (t) => `arrayStringConcat(arrayMap((k, v) -> concat(k, '=', v), mapKeys(${t}.group_keys), mapValues(${t}.group_keys)), ', ')`,
      type: 'string',
    },
    column('windowStart', 'window_start', 'time'),
    column('windowEnd', 'window_end', 'time'),
    column('fingerprint', 'fingerprint', 'string'),
    column('query', 'query', 'string'),
    column('fields', 'group_keys', 'map'),
  ],
};

/** The tables that read something other than events. */
export const RELATIONS: readonly Relation[] = [DETECTIONS_TABLE];
