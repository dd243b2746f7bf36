import type { Backfill, BackfillState } from '../../shared/backfill';
import type { BackfillRecord, ProgressRow } from './repository';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const TERMINAL_STATES: BackfillState[] = ['done', 'cancelled', 'failed'];

/** Objects the consumer is done with, whatever the outcome. */
export function handledCount(p: ProgressRow): number {
  return p.processed + p.failed + p.skipped + p.cancelled;
}

/** The API view of a backfill: its record plus counters read from the store, rates and ETA derived. */
export function toBackfill(record: BackfillRecord, p: ProgressRow, now: number): Backfill {
  const terminal = TERMINAL_STATES.includes(record.state);
  const end = terminal ? (record.finishedAt ?? record.updatedAt) : now;
  const seconds = Math.max(0.001, (end - record.createdAt) / 1000);
  const handled = handledCount(p);
  const busySeconds = p.firstHandledAt === null ? 0 : Math.max(0.001, ((terminal ? (p.lastHandledAt ?? end) : now) - p.firstHandledAt) / 1000);
  const objectRate = busySeconds > 0 ? handled / busySeconds : 0;
  const remaining = Math.max(0, p.listed - handled);
  const listingDone = p.units > 0 && p.unitsDone === p.units;
  return {
    id: record.id,
    sourceId: record.sourceId,
    bucket: record.bucket,
    region: record.region,
    prefixes: record.prefixes,
    from: iso(record.from),
    to: iso(record.to),
    order: record.order,
    state: record.state,
    error: record.error || null,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    finishedAt: iso(record.finishedAt),
    counters: {
      listed: p.listed,
      enqueued: p.enqueued,
      processed: p.processed,
      failed: p.failed,
      skipped: p.skipped,
      alreadyIngested: p.alreadyIngested,
      cancelled: p.cancelled,
      bytesListed: p.bytesListed,
      bytesProcessed: p.bytesProcessed,
      events: p.events,
      malformed: p.malformed,
      ignored: p.ignored,
      deadLettered: record.state === 'done' && listingDone ? Math.max(0, p.enqueued - handled) : 0,
    },
    eventsPerSecond: Math.round(p.events / seconds),
    etaSeconds: terminal ? 0 : remaining === 0 && listingDone ? 0 : objectRate > 0 ? Math.round(remaining / objectRate) : null,
    coverage: { from: iso(p.coverageFrom), to: iso(p.coverageTo) },
    firstEventAfterMs: p.firstEventAt === null ? null : Math.max(0, p.firstEventAt - record.createdAt),
    roleArn: record.roleArn,
    marginMinutes: record.marginMinutes,
    listing: { units: p.units, unitsDone: p.unitsDone },
  };
}
