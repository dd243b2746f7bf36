import type { QueueKind } from '../queue/bindings';

/**
 * The event inserts this sidecar made since it started, and their rows, per kind of queue, for
 * /metrics. ClickHouse wants few inserts of thousands of rows: every insert is a part to merge.
 */
export class InsertStats {
  private readonly counts: Record<QueueKind, { inserts: number; rows: number }> = {
    live: { inserts: 0, rows: 0 },
    backfill: { inserts: 0, rows: 0 },
  };

  record(queue: QueueKind, rows: number): void {
    this.counts[queue].inserts++;
    this.counts[queue].rows += rows;
  }

  byQueue(): Array<{ queue: QueueKind; inserts: number; rows: number }> {
    return (Object.keys(this.counts) as QueueKind[]).map((queue) => ({ queue, ...this.counts[queue] }));
  }
}
