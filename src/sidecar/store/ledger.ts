import type { LedgerEntry, MalformedSample, ObjectsQuery } from '../../shared/api';
import { versionKey, type ObjectVersion, type QueryOptions, type Store } from './store';
import { TIME_TYPE, toClickHouseTime, toIso, toMs } from './time';

/**
 * Objects looked up per query. A server caps each URL parameter at 128 KiB
 * (http_max_field_value_size, counted URL-encoded), and the keys of a thousand objects pass it.
 */
const LOOKUP_PARAM_BYTES = 64 * 1024;

/** The ledger row as stored (snake_case), and its conversion to the API shape. */
export interface LedgerRow {
  source_id: string;
  bucket: string;
  key: string;
  etag: string;
  size: number;
  log_type: string;
  status: string;
  events: number;
  malformed: number;
  malformed_samples: string;
  error: string;
  min_time: string | null;
  max_time: string | null;
  backfill_id: string;
  queue: string;
  processed_at: string;
  duration_ms: number;
}

export function toLedgerRow(entry: LedgerEntry & { queue: string }): LedgerRow {
  return {
    source_id: entry.sourceId,
    bucket: entry.bucket,
    key: entry.key,
    etag: entry.etag,
    size: entry.size,
    log_type: entry.logType,
    status: entry.status,
    events: entry.events,
    malformed: entry.malformed,
    malformed_samples: JSON.stringify(entry.malformedSamples),
    error: entry.error,
    min_time: entry.minTime,
    max_time: entry.maxTime,
    backfill_id: entry.backfillId,
    queue: entry.queue,
    processed_at: entry.processedAt,
    duration_ms: Math.round(entry.durationMs),
  };
}

export function fromLedgerRow(row: LedgerRow): LedgerEntry {
  let samples: MalformedSample[] = [];
  try {
    samples = row.malformed_samples ? (JSON.parse(row.malformed_samples) as MalformedSample[]) : [];
  } catch {
    samples = [];
  }
  return {
    sourceId: row.source_id,
    bucket: row.bucket,
    key: row.key,
    etag: row.etag,
    size: Number(row.size),
    logType: row.log_type,
    status: row.status as LedgerEntry['status'],
    events: Number(row.events),
    malformed: Number(row.malformed),
    malformedSamples: samples,
    error: row.error,
    minTime: row.min_time ? toIso(row.min_time) : null,
    maxTime: row.max_time ? toIso(row.max_time) : null,
    backfillId: row.backfill_id,
    processedAt: toIso(row.processed_at),
    durationMs: Number(row.duration_ms),
  };
}

/** The ledger entries of those of these objects that were ingested, in no particular order. */
export async function findInLedger(store: Pick<Store, 'query'>, objects: ObjectVersion[]): Promise<LedgerEntry[]> {
  const found: LedgerEntry[] = [];
  for (const batch of byParameterSize(objects)) {
    const wanted = new Set(batch.map(versionKey));
    const { rows } = await store.query<LedgerRow>(
      `SELECT * FROM ingest_ledger FINAL
       WHERE bucket IN {buckets:Array(String)} AND key IN {keys:Array(String)} AND etag IN {etags:Array(String)}`,
      {
        buckets: [...new Set(batch.map((o) => o.bucket))],
        keys: [...new Set(batch.map((o) => o.key))],
        etags: [...new Set(batch.map((o) => o.etag))],
      }
    );
    found.push(...rows.filter((r) => wanted.has(versionKey(r))).map(fromLedgerRow));
  }
  return found;
}

function byParameterSize(objects: ObjectVersion[]): ObjectVersion[][] {
  const batches: ObjectVersion[][] = [];
  let batch: ObjectVersion[] = [];
  let bytes = 0;
  for (const o of objects) {
    const size = encodeURIComponent(o.key).length + encodeURIComponent(o.etag).length + 8;
    if (batch.length > 0 && bytes + size > LOOKUP_PARAM_BYTES) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(o);
    bytes += size;
  }
  if (batch.length > 0) {
    batches.push(batch);
  }
  return batches;
}

/** Objects and bytes ingested, per source, queue and status. */
export interface LedgerCounts {
  sourceId: string;
  queue: string;
  status: string;
  objects: number;
  bytes: number;
  events: number;
  malformed: number;
}

/** The ingest ledger's reads: what the API lists and counts, backfill's coverage and throughput, the search's coverage notice. */
export class LedgerTable {
  constructor(private readonly store: Pick<Store, 'query'>) {}

  /** The newest entries first. */
  async list(filter: ObjectsQuery & { limit: number }): Promise<LedgerEntry[]> {
    const clauses: string[] = [];
    if (filter.source) {
      clauses.push('source_id = {source:String}');
    }
    if (filter.backfill) {
      clauses.push('backfill_id = {backfill:String}');
    }
    if (filter.status) {
      clauses.push('status = {status:String}');
    }
    if (filter.problems) {
      clauses.push("(status = 'failed' OR malformed > 0)");
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const { rows } = await this.store.query<LedgerRow>(`SELECT * FROM ingest_ledger FINAL ${where} ORDER BY processed_at DESC LIMIT {limit:UInt32}`, {
      source: filter.source,
      backfill: filter.backfill,
      status: filter.status,
      limit: filter.limit,
    });
    return rows.map(fromLedgerRow);
  }

  /** Objects by outcome, events and malformed records, over the whole ledger. */
  async totals(): Promise<{ objectsOk: number; objectsFailed: number; objectsSkipped: number; events: number; malformed: number }> {
    const { rows } = await this.store.query<Record<string, number>>(
      `SELECT countIf(status = 'ok') AS objectsOk, countIf(status = 'failed') AS objectsFailed, countIf(status = 'skipped') AS objectsSkipped,
         sum(events) AS events, sum(malformed) AS malformed
       FROM ingest_ledger FINAL`
    );
    const r = rows[0] ?? {};
    return {
      objectsOk: Number(r.objectsOk ?? 0),
      objectsFailed: Number(r.objectsFailed ?? 0),
      objectsSkipped: Number(r.objectsSkipped ?? 0),
      events: Number(r.events ?? 0),
      malformed: Number(r.malformed ?? 0),
    };
  }

  /** Failed objects and malformed records per source. */
  async problemsBySource(ids: string[]): Promise<Map<string, { failed: number; malformed: number }>> {
    const { rows } = await this.store.query<{ source_id: string; failed: number; malformed: number }>(
      `SELECT source_id, countIf(status = 'failed') AS failed, sum(malformed) AS malformed
       FROM ingest_ledger FINAL WHERE source_id IN {ids:Array(String)} GROUP BY source_id`,
      { ids }
    );
    return new Map(rows.map((r) => [r.source_id, { failed: Number(r.failed), malformed: Number(r.malformed) }]));
  }

  async counts(): Promise<LedgerCounts[]> {
    const { rows } = await this.store.query<Record<string, string | number>>(
      `SELECT source_id, queue, status, count() AS objects, sum(size) AS bytes, sum(events) AS events, sum(malformed) AS malformed
       FROM ingest_ledger FINAL GROUP BY source_id, queue, status ORDER BY source_id, queue, status`
    );
    return rows.map((r) => ({
      sourceId: String(r.source_id),
      queue: String(r.queue),
      status: String(r.status),
      objects: Number(r.objects),
      bytes: Number(r.bytes),
      events: Number(r.events),
      malformed: Number(r.malformed),
    }));
  }

  /** Per source: the newest event time ingested from the live queue, and when the last object was ingested (ms). */
  async lastIngest(): Promise<Array<{ sourceId: string; newestLiveEvent: number | null; lastIngested: number | null }>> {
    const { rows } = await this.store.query<{ source_id: string; newest_event: string | null; last_ingest: string }>(
      `SELECT source_id, maxIf(max_time, queue = 'live') AS newest_event, max(processed_at) AS last_ingest
       FROM ingest_ledger FINAL WHERE status = 'ok' GROUP BY source_id ORDER BY source_id`
    );
    return rows.map((r) => ({ sourceId: r.source_id, newestLiveEvent: toMs(r.newest_event), lastIngested: toMs(r.last_ingest) }));
  }

  /**
   * Objects ingested whole (status ok) per hour their events span, the hour as hours since the
   * epoch. The range is [from, to): an object whose last event is at `to` does not cover the hour
   * that starts there.
   */
  async objectsByHour(
    filter: { sourceId?: string; logTypes?: string[] | null },
    from: number,
    to: number,
    options?: QueryOptions
  ): Promise<Map<number, number>> {
    const clauses: string[] = [];
    if (filter.sourceId !== undefined) {
      clauses.push('source_id = {source:String}');
    }
    if (filter.logTypes) {
      clauses.push('log_type IN {types:Array(String)}');
    }
    const { rows } = await this.store.query<{ hour: number; n: number }>(
      `SELECT hour, count() AS n FROM (
         SELECT arrayJoin(range(
           toUInt32(intDiv(toUnixTimestamp(greatest(assumeNotNull(min_time), {from:${TIME_TYPE}})), 3600)),
           toUInt32(intDiv(toUnixTimestamp(least(assumeNotNull(max_time), {to:${TIME_TYPE}} - INTERVAL 1 MILLISECOND)), 3600)) + 1)) AS hour
         FROM ingest_ledger FINAL
         WHERE status = 'ok' AND min_time IS NOT NULL AND max_time IS NOT NULL
           AND min_time < {to:${TIME_TYPE}} AND max_time >= {from:${TIME_TYPE}} ${clauses.map((c) => `AND ${c}`).join(' ')})
       GROUP BY hour`,
      { source: filter.sourceId, types: filter.logTypes ?? undefined, from: toClickHouseTime(from), to: toClickHouseTime(to) },
      options
    );
    return new Map(rows.map((r) => [Number(r.hour), Number(r.n)]));
  }

  async failedObjects(sourceId: string): Promise<Array<{ key: string; minTime: number | null }>> {
    const { rows } = await this.store.query<{ key: string; min_time: string | null }>(
      `SELECT key, min_time FROM ingest_ledger FINAL WHERE source_id = {source:String} AND status = 'failed' LIMIT 100000`,
      { source: sourceId }
    );
    return rows.map((r) => ({ key: r.key, minTime: toMs(r.min_time) }));
  }

  async latestBackfillRun(minObjects: number): Promise<{ objects: number; bytes: number; seconds: number } | undefined> {
    const { rows } = await this.store.query<{ n: number; bytes: number; first: string; last: string; last_ms: number }>(
      `SELECT count() AS n, sum(size) AS bytes, min(processed_at) AS first, max(processed_at) AS last, argMax(duration_ms, processed_at) AS last_ms
       FROM ingest_ledger FINAL
       WHERE status = 'ok' AND queue = 'backfill' AND backfill_id != '' AND processed_at >= now64(3) - INTERVAL 30 DAY
       GROUP BY backfill_id HAVING n >= {min:UInt32} ORDER BY last DESC LIMIT 1`,
      { min: minObjects }
    );
    const b = rows[0];
    if (!b) {
      return undefined;
    }
    return { objects: Number(b.n), bytes: Number(b.bytes), seconds: (toMs(b.last)! - toMs(b.first)! + Number(b.last_ms)) / 1000 };
  }

  async recentObjects(sample: number): Promise<{ objects: number; bytes: number; busySeconds: number }> {
    const { rows } = await this.store.query<{ n: number; bytes: number; busy_ms: number }>(
      `SELECT count() AS n, sum(size) AS bytes, sum(duration_ms) AS busy_ms
       FROM (SELECT size, duration_ms FROM ingest_ledger FINAL WHERE status = 'ok' ORDER BY processed_at DESC LIMIT {sample:UInt32})`,
      { sample }
    );
    const r = rows[0];
    return { objects: Number(r?.n ?? 0), bytes: Number(r?.bytes ?? 0), busySeconds: Number(r?.busy_ms ?? 0) / 1000 };
  }
}
