import { dateTime, type TimeRange } from '@grafana/data';
import type { Backfill, PriorityRequest } from '../../shared/backfill';
import { resolveRange } from './backfillRequest';

const HOUR = 3_600_000;

const absolute = (from: number, to: number): TimeRange => {
  const range = { from: dateTime(from), to: dateTime(to) };
  return { ...range, raw: range };
};

/**
 * The hour the backfill would otherwise load last: the first of its range when it goes newest
 * first, the last one when oldest first; the last full hour when it has no range.
 */
export function defaultPriorityRange(backfill: Backfill, now = Date.now()): TimeRange {
  if (backfill.order === 'newest' && backfill.from) {
    const start = Math.floor(Date.parse(backfill.from) / HOUR) * HOUR;
    return absolute(start, start + HOUR);
  }
  const end = backfill.to ? Math.ceil(Date.parse(backfill.to) / HOUR) * HOUR : Math.floor(now / HOUR) * HOUR;
  return absolute(end - HOUR, end);
}

export interface PriorityDraft {
  range: TimeRange;
  note: string;
}

/** What the form can tell before asking the sidecar: a problem of the range, if any. */
export function priorityRangeError(draft: PriorityDraft): string | undefined {
  const { from, to } = resolveRange(draft.range.raw);
  if (!from.isValid() || !to.isValid()) {
    return 'is not a valid time range';
  }
  return from.valueOf() >= to.valueOf() ? 'must start before it ends' : undefined;
}

export function priorityRequest(draft: PriorityDraft): PriorityRequest {
  const { from, to } = resolveRange(draft.range.raw);
  const note = draft.note.trim();
  return { from: from.toISOString(), to: to.toISOString(), ...(note ? { note } : {}) };
}
