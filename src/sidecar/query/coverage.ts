import type { CoverageNotice } from '../../shared/query';
import type { Store } from '../store/store';
import { clickHouseTime, TIME_PARAM } from './time';

const HOUR = 3_600_000;
const MAX_HOURS = 24 * 366 * 5;
const LISTED_HOURS = 48;

/**
 * Which hours of the range no ingested object covers, from the ingest ledger: an hour counts
 * as loaded when an object whose events span (min_time..max_time) overlaps it was ingested.
 * Undefined when every hour is loaded, or the range is too long to list by the hour.
 */
export async function coverageFor(store: Store, from: number, to: number, logTypes: string[] | null): Promise<CoverageNotice | undefined> {
  if (logTypes?.length === 0) {
    // The query reads no events (Detections): there is nothing to be loaded.
    return undefined;
  }
  const first = Math.floor(from / HOUR);
  const last = Math.ceil(to / HOUR);
  if (last - first > MAX_HOURS) {
    return undefined;
  }
  const params: Record<string, unknown> = { from: clickHouseTime(from), to: clickHouseTime(to) };
  let typeFilter = '';
  if (logTypes) {
    typeFilter = 'AND log_type IN {types:Array(String)}';
    params.types = logTypes;
  }
  const { rows } = await store.query<{ hour: number }>(
    `SELECT DISTINCT arrayJoin(range(
        toUInt32(intDiv(toUnixTimestamp(greatest(assumeNotNull(min_time), {from:${TIME_PARAM}})), 3600)),
        toUInt32(intDiv(toUnixTimestamp(least(assumeNotNull(max_time), {to:${TIME_PARAM}})), 3600)) + 1)) AS hour
     FROM ingest_ledger FINAL
     WHERE status = 'ok' AND min_time IS NOT NULL AND max_time IS NOT NULL
       AND min_time < {to:${TIME_PARAM}} AND max_time >= {from:${TIME_PARAM}} ${typeFilter}`,
    params,
    { readonly: true, maxExecutionSeconds: 10 }
  );
  const covered = new Set(rows.map((r) => Number(r.hour)));
  const missing: number[] = [];
  for (let hour = first; hour < last; hour++) {
    if (!covered.has(hour)) {
      missing.push(hour);
    }
  }
  if (missing.length === 0) {
    return undefined;
  }
  const total = last - first;
  const which = logTypes ? ` of ${logTypes.join(', ')}` : '';
  const message =
    missing.length === total
      ? `no logs${which} have been ingested for this time range (yet): start a backfill to load them`
      : `${missing.length} of ${total} hours in this time range have no ingested logs${which} (yet): results may be incomplete`;
  return {
    state: missing.length === total ? 'none' : 'partial',
    message,
    missingHours: missing.slice(0, LISTED_HOURS).map((h) => new Date(h * HOUR).toISOString()),
  };
}
