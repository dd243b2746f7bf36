import type { LedgerEntry, MalformedSample, RejectedMessage } from '../../shared/api';
import { versionKey, type ObjectVersion, type Store } from './store';
import { toIso } from './time';

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

/** A rejected message as stored. */
export function toRejectedRow(message: RejectedMessage): object {
  return {
    source_id: message.sourceId,
    queue: message.queue,
    message_id: message.messageId,
    reason: message.reason,
    body: message.body,
    received_at: message.receivedAt,
  };
}
