import type { CoverageResponse, HourState } from '../../shared/backfill';
import { timeFromKey } from '../keys/keyTime';
import { DAY_MS, HOUR_MS } from './dates';
import type { BackfillRecord, BackfillRepository, EventCounter, LedgerReader } from './repository';

export const MAX_COVERAGE_HOURS = 24 * 366;

/** Where coverage is read from: the backfill tables, the ingest ledger and the events. */
export interface CoverageSources {
  backfills: Pick<BackfillRepository, 'pendingHours' | 'unlistedUnits'>;
  ledger: Pick<LedgerReader, 'objectsByHour' | 'failedObjects'>;
  events: EventCounter;
}

export interface CoverageInput {
  sourceId: string;
  from: number;
  to: number;
  /** The source's backfills still listing or running (their listed objects not yet handled are pending). */
  active: BackfillRecord[];
  /** Its finished backfills: an hour inside one of their ranges with nothing pending is known loaded, even when it held no events. */
  done: BackfillRecord[];
}

/**
 * Which hours of a range are loaded for a source. An hour is `full` when objects covering it
 * are ingested (or a finished backfill covered it) and nothing for it is pending, failed or
 * still to be listed; `partial` when some are ingested but others are not (yet); `none` otherwise.
 */
export async function coverage(sources: CoverageSources, input: CoverageInput): Promise<CoverageResponse> {
  const first = Math.floor(input.from / HOUR_MS);
  const last = Math.ceil(input.to / HOUR_MS);
  const ids = input.active.map((b) => b.id);
  const [loaded, counts, waiting, failed, unlisted] = await Promise.all([
    sources.ledger.objectsByHour({ sourceId: input.sourceId }, input.from, input.to),
    sources.events.eventsByHour(input.sourceId, input.from, input.to),
    sources.backfills.pendingHours(ids, input.from, input.to),
    sources.ledger.failedObjects(input.sourceId),
    sources.backfills.unlistedUnits(ids),
  ]);
  const broken = new Map<number, number>();
  for (const f of failed) {
    const t = f.minTime ?? timeFromKey(f.key);
    if (t !== null && t >= input.from && t < input.to) {
      const hour = Math.floor(t / HOUR_MS);
      broken.set(hour, (broken.get(hour) ?? 0) + 1);
    }
  }
  // Prefixes not listed to the end yet may hold objects for any hour they are filed under (a day at most; undated: the whole range).
  const notListed = unlisted.map((u) => (u.time === null ? { from: -Infinity, to: Infinity } : { from: u.time, to: u.time + DAY_MS }));
  const unknown = (hour: number) => notListed.some((r) => r.from < (hour + 1) * HOUR_MS && r.to > hour * HOUR_MS);
  const coveredByDone = (hour: number) => input.done.some((b) => b.from !== null && b.to !== null && b.from <= hour * HOUR_MS && (hour + 1) * HOUR_MS <= b.to);
  const hours: CoverageResponse['hours'] = [];
  for (let hour = first; hour < last; hour++) {
    const objectsLoaded = loaded.get(hour) ?? 0;
    let state: HourState;
    if ((waiting.get(hour) ?? 0) > 0 || (broken.get(hour) ?? 0) > 0 || unknown(hour)) {
      state = objectsLoaded > 0 ? 'partial' : 'none';
    } else {
      state = objectsLoaded > 0 || coveredByDone(hour) ? 'full' : 'none';
    }
    hours.push({ hour: new Date(hour * HOUR_MS).toISOString(), state, objects: objectsLoaded, events: counts.get(hour) ?? 0 });
  }
  return { sourceId: input.sourceId, from: new Date(input.from).toISOString(), to: new Date(input.to).toISOString(), hours };
}
