import type { LedgerEntry, MalformedSample } from '../../shared/api';
import { toIso } from './time';

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
