import { createHash } from 'node:crypto';
import type { Detection, DetectionList, DetectionStatus, DetectionStatusChange, Severity } from '../../shared/detections';
import { MERGED_DETECTIONS } from '../store/detectionsView';
import type { Store } from '../store/store';
import { toClickHouseTime, toIso } from '../store/time';

/** A rule's hit as a detection is written: what it is, and what was counted when. */
export interface DetectionRecord {
  fingerprint: string;
  ruleId: string;
  ruleVersion: string;
  title: string;
  severity: Severity;
  tags: string[];
  keys: Record<string, string>;
  windowStart: number;
  windowEnd: number;
  /** The rule's events query narrowed to this group: what Explore shows. */
  query: string;
  /** Orders recounts: the received-time cutoff of the run that counted (later runs saw more). */
  factsVersion: number;
  count: number;
  events: number;
  firstSeen: number;
  lastSeen: number;
}

export interface DetectionFilter {
  statuses?: DetectionStatus[];
  severities?: Severity[];
  ruleIds?: string[];
  /** Detections with events in [from, to) (ms). */
  from?: number;
  to?: number;
  limit: number;
}

interface DetectionRow {
  fingerprint: string;
  rule_id: string;
  rule_version: string;
  title: string;
  severity: string;
  tags: string[];
  group_keys: Record<string, string>;
  window_start: string;
  window_end: string;
  query: string;
  detected_at: string;
  count: number;
  events: number;
  first_seen: string;
  last_seen: string;
  status: string;
  status_by: string;
  status_at: string;
  note: string;
}

const EPOCH = toClickHouseTime(0);
const OPEN = { version: 0, status: 'open', changed_by: '', changed_at: EPOCH, note: '' };
const NO_FACTS = { version: 0, count: 0, events: 0, first_seen: EPOCH, last_seen: EPOCH };
const MAX_FINGERPRINTS = 10_000;

/**
 * The detections table. Writes never read first: the engine writes a hit's facts, people write
 * a status, each a tuple led by its version, and the table keeps the highest of each (see
 * migration 4). Reads go through MERGED_DETECTIONS.
 */
export class DetectionRepository {
  constructor(private readonly store: Store) {}

  /**
   * Writes hits as detections: new fingerprints become open detections, known ones get the facts
   * of the later count. The dedup token is a digest of the rows, so a second sidecar that counted
   * the same adds nothing.
   */
  async record(records: DetectionRecord[], now: number): Promise<void> {
    if (records.length === 0) {
      return;
    }
    const rows = records.map((r) => ({
      fingerprint: r.fingerprint,
      rule_id: r.ruleId,
      rule_version: r.ruleVersion,
      title: r.title,
      severity: r.severity,
      tags: r.tags,
      group_keys: r.keys,
      window_start: toClickHouseTime(r.windowStart),
      window_end: toClickHouseTime(r.windowEnd),
      query: r.query,
      facts: {
        version: r.factsVersion,
        count: r.count,
        events: r.events,
        first_seen: toClickHouseTime(r.firstSeen),
        last_seen: toClickHouseTime(r.lastSeen),
      },
      state: OPEN,
    }));
    const token = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
    const detectedAt = toClickHouseTime(now);
    await this.store.insertRows(
      'detections',
      rows.map((r) => ({ ...r, detected_at: detectedAt })),
      `detections:${token}`
    );
  }

  /** Those of these fingerprints that are stored. */
  async known(fingerprints: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < fingerprints.length; i += MAX_FINGERPRINTS) {
      const { rows } = await this.store.query<{ fingerprint: string }>('SELECT DISTINCT fingerprint FROM detections WHERE fingerprint IN {fps:Array(String)}', {
        fps: fingerprints.slice(i, i + MAX_FINGERPRINTS),
      });
      rows.forEach((r) => known.add(r.fingerprint));
    }
    return known;
  }

  async get(fingerprint: string): Promise<Detection | null> {
    const { rows } = await this.store.query<DetectionRow>(`SELECT * FROM (${MERGED_DETECTIONS}) WHERE fingerprint = {fp:String}`, { fp: fingerprint });
    return rows[0] ? toDetection(rows[0]) : null;
  }

  /** Detections newest (last event) first. */
  async list(filter: DetectionFilter): Promise<DetectionList> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit + 1 };
    if (filter.statuses?.length) {
      where.push('status IN {statuses:Array(String)}');
      params.statuses = filter.statuses;
    }
    if (filter.severities?.length) {
      where.push('severity IN {severities:Array(String)}');
      params.severities = filter.severities;
    }
    if (filter.ruleIds?.length) {
      where.push('rule_id IN {rules:Array(String)}');
      params.rules = filter.ruleIds;
    }
    if (filter.from !== undefined) {
      where.push("last_seen >= {from:DateTime64(3, 'UTC')}");
      params.from = toClickHouseTime(filter.from);
    }
    if (filter.to !== undefined) {
      where.push("first_seen < {to:DateTime64(3, 'UTC')}");
      params.to = toClickHouseTime(filter.to);
    }
    const { rows } = await this.store.query<DetectionRow>(
      `SELECT * FROM (${MERGED_DETECTIONS}) ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_seen DESC, fingerprint LIMIT {limit:UInt32}`,
      params
    );
    return { detections: rows.slice(0, filter.limit).map(toDetection), truncated: rows.length > filter.limit };
  }

  /**
   * Sets a detection's status; null when there is no such detection. The row carries the
   * detection's own columns and no facts, so it changes nothing but the status.
   */
  async setStatus(fingerprint: string, change: Required<Omit<DetectionStatusChange, 'note'>> & { note: string }, at: number): Promise<Detection | null> {
    const current = await this.get(fingerprint);
    if (!current) {
      return null;
    }
    await this.store.insertRows('detections', [
      {
        fingerprint,
        rule_id: current.ruleId,
        rule_version: current.ruleVersion,
        title: current.title,
        severity: current.severity,
        tags: current.tags,
        group_keys: current.keys,
        window_start: toClickHouseTime(Date.parse(current.window.from)),
        window_end: toClickHouseTime(Date.parse(current.window.to)),
        query: current.explore.query,
        facts: NO_FACTS,
        // Microseconds: later than any earlier change, whichever sidecar made it.
        state: {
          version: at * 1000,
          status: change.status,
          changed_by: change.by,
          changed_at: toClickHouseTime(at),
          note: change.note,
        },
        detected_at: toClickHouseTime(Date.parse(current.detectedAt)),
      },
    ]);
    return this.get(fingerprint);
  }

  /** Per rule: detections still open, and all of them. */
  async countsByRule(): Promise<Map<string, { open: number; total: number }>> {
    const { rows } = await this.store.query<{ rule_id: string; open: number; total: number }>(
      `SELECT rule_id, countIf(status = 'open') AS open, count() AS total FROM (${MERGED_DETECTIONS}) GROUP BY rule_id`
    );
    return new Map(rows.map((r) => [r.rule_id, { open: Number(r.open), total: Number(r.total) }]));
  }
}

function toDetection(row: DetectionRow): Detection {
  const firstSeen = toIso(row.first_seen);
  const lastSeen = toIso(row.last_seen);
  return {
    fingerprint: row.fingerprint,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    title: row.title,
    severity: row.severity as Severity,
    tags: row.tags,
    keys: row.group_keys,
    window: { from: toIso(row.window_start), to: toIso(row.window_end) },
    count: Number(row.count),
    events: Number(row.events),
    firstSeen,
    lastSeen,
    detectedAt: toIso(row.detected_at),
    status: row.status as DetectionStatus,
    statusBy: row.status_by,
    statusAt: row.status_by ? toIso(row.status_at) : null,
    note: row.note,
    explore: { query: row.query, from: firstSeen, to: new Date(Date.parse(lastSeen) + 1).toISOString() },
  };
}
