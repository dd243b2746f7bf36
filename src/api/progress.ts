import type { Backfill, BackfillState } from '../shared/backfill';

export const ACTIVE_STATES: ReadonlySet<BackfillState> = new Set(['planning', 'listing', 'running']);

export function isActive(backfill: Backfill): boolean {
  return ACTIVE_STATES.has(backfill.state);
}

/** Objects the backfill is done with, whatever their outcome. */
export function objectsDone(backfill: Backfill): number {
  const c = backfill.counters;
  return c.processed + c.failed + c.skipped + c.cancelled;
}

/**
 * Share of the listed objects done, 0..1; null while listing has found nothing yet. While
 * still listing the total grows, so the share can fall back.
 */
export function progressShare(backfill: Backfill): number | null {
  if (backfill.state === 'done') {
    return 1;
  }
  const listed = backfill.counters.listed;
  if (listed === 0) {
    return null;
  }
  return Math.min(1, objectsDone(backfill) / listed);
}
