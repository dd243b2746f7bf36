import type { PriorityReason, PulledForward } from '../../shared/backfill';
import type { PriorityRecord, PriorityRepository } from '../backfill/priorityRecord';
import type { Store } from './store';
import { toClickHouseTime, toMs } from './time';

interface PriorityDbRow {
  backfill_id: string;
  request_id: string;
  from_time: string;
  to_time: string;
  reason: string;
  detail: string;
  requested_at: string;
  state: string;
  objects: number;
  objects_done: number;
  note: string;
}

/**
 * A request's version: its state's rank, then microseconds, so of the rows several sidecars write
 * for one request the furthest state wins (queued < loading < done, dropped) and, within a state,
 * the latest count of objects done.
 */
const STATE_RANK: Record<PulledForward['state'], bigint> = { queued: 0n, loading: 1n, done: 2n, dropped: 3n };
const RANK_STEP = 10n ** 17n;

const COLUMNS = 'backfill_id, request_id, from_time, to_time, reason, detail, requested_at, state, objects, objects_done, note';

/** The backfill_priority table (migration 6). Every change is a new row; reads use FINAL. */
export class PriorityTables implements PriorityRepository {
  private clock = 0n;

  constructor(private readonly store: Store) {}

  async savePriority(r: PriorityRecord): Promise<void> {
    // Never behind a version this sidecar wrote: two changes in one microsecond stay ordered.
    const now = BigInt(Date.now()) * 1000n;
    this.clock = now > this.clock ? now : this.clock + 1n;
    await this.store.insertRows('backfill_priority', [
      {
        backfill_id: r.backfillId,
        request_id: r.id,
        from_time: toClickHouseTime(r.from),
        to_time: toClickHouseTime(r.to),
        reason: r.reason,
        detail: r.detail,
        requested_at: toClickHouseTime(r.requestedAt),
        state: r.state,
        objects: r.objects,
        objects_done: r.objectsDone,
        note: r.note,
        version: (STATE_RANK[r.state] * RANK_STEP + this.clock).toString(),
      },
    ]);
  }

  async priorities(backfillIds: string[], perBackfill: number): Promise<PriorityRecord[]> {
    if (backfillIds.length === 0) {
      return [];
    }
    const { rows } = await this.store.query<PriorityDbRow>(
      `SELECT ${COLUMNS} FROM backfill_priority FINAL WHERE backfill_id IN {ids:Array(String)}
       ORDER BY requested_at DESC, request_id LIMIT {n:UInt32} BY backfill_id`,
      { ids: backfillIds, n: perBackfill }
    );
    return rows.map(toRecord);
  }

  async pendingPriorities(): Promise<PriorityRecord[]> {
    const { rows } = await this.store.query<PriorityDbRow>(
      `SELECT ${COLUMNS} FROM backfill_priority FINAL WHERE state IN ('queued', 'loading') ORDER BY requested_at, request_id LIMIT 1000`
    );
    return rows.map(toRecord);
  }
}

function toRecord(r: PriorityDbRow): PriorityRecord {
  return {
    backfillId: r.backfill_id,
    id: r.request_id,
    from: toMs(r.from_time) ?? 0,
    to: toMs(r.to_time) ?? 0,
    reason: r.reason as PriorityReason,
    detail: r.detail,
    requestedAt: toMs(r.requested_at) ?? 0,
    state: r.state as PulledForward['state'],
    objects: Number(r.objects),
    objectsDone: Number(r.objects_done),
    note: r.note,
  };
}
