import type { BackfillRecord, BackfillRepository, ProgressRow } from './repository';

/** Progress read from the store is shared for this long by every caller (API polls, the watch). */
const PROGRESS_MAX_AGE_MS = 1000;

/**
 * The counters of backfills as every caller of one sidecar sees them: read at most a second ago,
 * and after the record's last change (so state and counters agree). Callers at the same time share
 * one read: a page of several backfills polled by several viewers costs one query per second.
 */
export class SharedProgress {
  private readonly cache = new Map<string, { at: number; row: ProgressRow }>();
  /** Reads under way, by backfill: when each started, and its end. */
  private readonly reads = new Map<string, { at: number; done: Promise<void> }>();

  constructor(private readonly repo: Pick<BackfillRepository, 'progress'>) {}

  async of(records: BackfillRecord[]): Promise<Map<string, ProgressRow>> {
    const now = Date.now();
    const since = (r: BackfillRecord) => Math.max(now - PROGRESS_MAX_AGE_MS, r.updatedAt);
    const stale = records.filter((r) => (this.cache.get(r.id)?.at ?? 0) < since(r));
    const toRead = stale.filter((r) => (this.reads.get(r.id)?.at ?? 0) < since(r)).map((r) => r.id);
    if (toRead.length) {
      const read = { at: now, done: this.read(toRead, now) };
      toRead.forEach((id) => this.reads.set(id, read));
    }
    await Promise.all(stale.map((r) => this.reads.get(r.id)!.done));
    return new Map(records.map((r) => [r.id, this.cache.get(r.id)!.row]));
  }

  private async read(ids: string[], at: number): Promise<void> {
    try {
      for (const [id, row] of await this.repo.progress(ids)) {
        if ((this.cache.get(id)?.at ?? 0) <= at) {
          this.cache.set(id, { at, row });
        }
      }
    } finally {
      for (const id of ids) {
        if (this.reads.get(id)?.at === at) {
          this.reads.delete(id);
        }
      }
    }
  }
}
