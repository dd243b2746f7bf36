import type { CoverageResponse, HourState } from '../../shared/backfill';
import { timeFromKey } from '../keys/keyTime';
import type { Store } from '../store/store';
import { toClickHouseTime } from '../store/time';
import { DAY_MS, HOUR_MS } from './dates';
import type { BackfillRecord } from './repository';

export const MAX_COVERAGE_HOURS = 24 * 366;
const TIME = "DateTime64(3, 'UTC')";
/** AWS stamps keys up to this long after the events they hold: a pending object may hold the previous hour's too. */
const KEY_LAG = '15 MINUTE';

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
export async function coverage(store: Store, input: CoverageInput): Promise<CoverageResponse> {
  const first = Math.floor(input.from / HOUR_MS);
  const last = Math.ceil(input.to / HOUR_MS);
  const params = { source: input.sourceId, from: toClickHouseTime(input.from), to: toClickHouseTime(input.to), ids: input.active.map((b) => b.id) };
  const [objects, events, pending, failed, unlisted] = await Promise.all([
    store.query<{ hour: number; n: number }>(
      `SELECT hour, count() AS n FROM (
         SELECT arrayJoin(range(
           toUInt32(intDiv(toUnixTimestamp(greatest(assumeNotNull(min_time), {from:${TIME}})), 3600)),
           toUInt32(intDiv(toUnixTimestamp(least(assumeNotNull(max_time), {to:${TIME}} - INTERVAL 1 MILLISECOND)), 3600)) + 1)) AS hour
         FROM ingest_ledger FINAL
         WHERE source_id = {source:String} AND status = 'ok' AND min_time IS NOT NULL AND max_time IS NOT NULL
           AND min_time < {to:${TIME}} AND max_time >= {from:${TIME}})
       GROUP BY hour`,
      params
    ),
    store.query<{ hour: number; n: number }>(
      `SELECT intDiv(toUnixTimestamp(time), 3600) AS hour, count() AS n FROM events
       WHERE source_id = {source:String} AND time >= {from:${TIME}} AND time < {to:${TIME}} GROUP BY hour`,
      params
    ),
    input.active.length
      ? store.query<{ hour: number; n: number }>(
          `SELECT hour, count() AS n FROM (
             SELECT arrayJoin(arrayDistinct([intDiv(toUnixTimestamp(key_time), 3600), intDiv(toUnixTimestamp(key_time - INTERVAL ${KEY_LAG}), 3600)])) AS hour
             FROM backfill_listed FINAL
             WHERE backfill_id IN {ids:Array(String)}
               AND key_time >= {from:${TIME}} - INTERVAL 1 HOUR AND key_time < {to:${TIME}} + INTERVAL 1 HOUR
               AND (backfill_id, key, etag) NOT IN (SELECT backfill_id, key, etag FROM backfill_objects WHERE backfill_id IN {ids:Array(String)}))
           GROUP BY hour`,
          params
        )
      : Promise.resolve({ rows: [] }),
    store.query<{ key: string; min_time: string | null }>(
      `SELECT key, min_time FROM ingest_ledger FINAL WHERE source_id = {source:String} AND status = 'failed' LIMIT 100000`,
      params
    ),
    input.active.length
      ? store.query<{ backfill_id: string; unit_time: string | null }>(
          'SELECT backfill_id, unit_time FROM backfill_units FINAL WHERE backfill_id IN {ids:Array(String)} AND done = 0',
          params
        )
      : Promise.resolve({ rows: [] }),
  ]);
  const byHour = (rows: Array<{ hour: number; n: number }>) => new Map(rows.map((r) => [Number(r.hour), Number(r.n)]));
  const loaded = byHour(objects.rows);
  const counts = byHour(events.rows);
  const waiting = byHour(pending.rows);
  const broken = new Map<number, number>();
  for (const f of failed.rows) {
    const t = f.min_time ? Date.parse(`${f.min_time.replace(' ', 'T')}Z`) : timeFromKey(f.key);
    if (t !== null && t >= input.from && t < input.to) {
      const hour = Math.floor(t / HOUR_MS);
      broken.set(hour, (broken.get(hour) ?? 0) + 1);
    }
  }
  // Prefixes not listed to the end yet may hold objects for any hour they are filed under (a day at most; undated: the whole range).
  const notListed = unlisted.rows.map((u) => {
    if (u.unit_time) {
      const start = Date.parse(`${u.unit_time.replace(' ', 'T')}Z`);
      return { from: start, to: start + DAY_MS };
    }
    return { from: -Infinity, to: Infinity };
  });
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
