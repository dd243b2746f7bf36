import { availableParallelism } from 'node:os';
import type { LedgerReader } from './repository';

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
export async function measuredThroughput(
  ledger: Pick<LedgerReader, 'latestBackfillRun' | 'recentObjects'>,
  backfillConcurrency: number
): Promise<Throughput | undefined> {
  const latest = await ledger.latestBackfillRun(MIN_OBJECTS);
  if (latest && latest.seconds > 0) {
    return { objectsPerSecond: latest.objects / latest.seconds, bytesPerSecond: latest.bytes / latest.seconds };
  }
  const recent = await ledger.recentObjects(SAMPLE);
  if (recent.objects === 0 || recent.busySeconds <= 0) {
    return undefined;
  }
  const parallel = Math.min(backfillConcurrency, availableParallelism());
  return { objectsPerSecond: (recent.objects / recent.busySeconds) * parallel, bytesPerSecond: (recent.bytes / recent.busySeconds) * parallel };
}

export function expectedSeconds(objects: number, bytes: number, rate: Throughput | undefined): number | null {
  if (!rate) {
    return null;
  }
  return Math.ceil(Math.max(objects / rate.objectsPerSecond, bytes / rate.bytesPerSecond));
}
