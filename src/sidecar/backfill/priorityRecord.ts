import type { PriorityReason, PulledForward } from '../../shared/backfill';

/** A request to load hours of a running backfill first, as stored: every change is a new version of it (store/priority.ts). */
export interface PriorityRecord {
  backfillId: string;
  id: string;
  /** The hours, [from, to), on hour boundaries. */
  from: number;
  to: number;
  reason: PriorityReason;
  detail: string;
  requestedAt: number;
  state: PulledForward['state'];
  /** Objects of the hours found by the lane, and how many of them it has ingested (or found ingested). */
  objects: number;
  objectsDone: number;
  /** Which bound cut or dropped it; '' for none. */
  note: string;
}

/** The requests table, declared here and implemented by store/priority.ts. */
export interface PriorityRepository {
  savePriority(record: PriorityRecord): Promise<void>;
  /** The newest requests of each backfill first, at most `perBackfill` of each. */
  priorities(backfillIds: string[], perBackfill: number): Promise<PriorityRecord[]>;
  /** Requests still queued or loading, oldest first. */
  pendingPriorities(): Promise<PriorityRecord[]>;
}

export const PENDING_STATES: ReadonlyArray<PulledForward['state']> = ['queued', 'loading'];

export function toPulledForward(r: PriorityRecord): PulledForward {
  return {
    from: new Date(r.from).toISOString(),
    to: new Date(r.to).toISOString(),
    reason: r.reason,
    detail: r.detail,
    requestedAt: new Date(r.requestedAt).toISOString(),
    objects: r.objects,
    objectsDone: r.objectsDone,
    state: r.state,
    ...(r.note ? { note: r.note } : {}),
  };
}
