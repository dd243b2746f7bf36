import type { CoverageNotice } from '../../shared/query';
import { LedgerTable } from '../store/ledger';
import type { Store } from '../store/store';

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
  // Objects in the ledger cover the hours their events span (LedgerTable.objectsByHour, shared with backfill's coverage).
  const covered = await new LedgerTable(store).objectsByHour({ logTypes }, from, to, { readonly: true, maxExecutionSeconds: 10 });
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
