import { availableParallelism } from 'node:os';
import type { Store } from '../store/store';
import { toIso } from '../store/time';

export interface Throughput {
  objectsPerSecond: number;
  bytesPerSecond: number;
}

const SAMPLE = 2000;
const MIN_OBJECTS = 20;

/**
 * Ingest throughput measured on this store, from the ledger: the latest backfill's objects,
 * read back to back, over the wall time they took. Without one, the last objects' own
 * durations times the objects that really run side by side: the backfill concurrency, but no
 * more than the cores, since parsing and inserting are CPU work. Undefined before anything was ingested.
 */
export async function measuredThroughput(store: Store, backfillConcurrency: number): Promise<Throughput | undefined> {
  const latest = await store.query<{ n: number; bytes: number; first: string; last: string; last_ms: number }>(
    `SELECT count() AS n, sum(size) AS bytes, min(processed_at) AS first, max(processed_at) AS last, argMax(duration_ms, processed_at) AS last_ms
     FROM ingest_ledger FINAL
     WHERE status = 'ok' AND queue = 'backfill' AND backfill_id != '' AND processed_at >= now64(3) - INTERVAL 30 DAY
     GROUP BY backfill_id HAVING n >= ${MIN_OBJECTS} ORDER BY last DESC LIMIT 1`
  );
  const b = latest.rows[0];
  if (b) {
    const seconds = (Date.parse(toIso(b.last)) - Date.parse(toIso(b.first)) + Number(b.last_ms)) / 1000;
    if (seconds > 0) {
      return { objectsPerSecond: Number(b.n) / seconds, bytesPerSecond: Number(b.bytes) / seconds };
    }
  }
  const recent = await store.query<{ n: number; bytes: number; busy_ms: number }>(
    `SELECT count() AS n, sum(size) AS bytes, sum(duration_ms) AS busy_ms
     FROM (SELECT size, duration_ms FROM ingest_ledger FINAL WHERE status = 'ok' ORDER BY processed_at DESC LIMIT ${SAMPLE})`
  );
  const r = recent.rows[0];
  const busy = Number(r?.busy_ms ?? 0) / 1000;
  if (!r || Number(r.n) === 0 || busy <= 0) {
    return undefined;
  }
  const parallel = Math.min(backfillConcurrency, availableParallelism());
  return { objectsPerSecond: (Number(r.n) / busy) * parallel, bytesPerSecond: (Number(r.bytes) / busy) * parallel };
}

export function expectedSeconds(objects: number, bytes: number, rate: Throughput | undefined): number | null {
  if (!rate) {
    return null;
  }
  return Math.ceil(Math.max(objects / rate.objectsPerSecond, bytes / rate.bytesPerSecond));
}
