import type { PriorityReason } from '../../shared/backfill';

export type PriorityOutcome = 'accepted' | 'coalesced' | 'refused';

/** What this sidecar's priority intake and lane did since it started, for /metrics. */
export class PriorityStats {
  readonly requests = new Map<string, number>();
  /** Objects of the wanted hours the lane ingested (or found ingested), and the other objects of their messages. */
  objectsWanted = 0;
  objectsAlong = 0;
  messages = 0;

  request(reason: PriorityReason, outcome: PriorityOutcome): void {
    const key = `${reason}/${outcome}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Every reason and outcome, zeros included, so the counters exist from the start. */
  requestCounts(): Array<{ reason: PriorityReason; outcome: PriorityOutcome; count: number }> {
    return (['query', 'asked'] as const).flatMap((reason) =>
      (['accepted', 'coalesced', 'refused'] as const).map((outcome) => ({ reason, outcome, count: this.requests.get(`${reason}/${outcome}`) ?? 0 }))
    );
  }
}
