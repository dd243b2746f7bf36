import type { BackfillState } from '../../shared/backfill';
import type { BackfillRecord, BackfillRepository } from './repository';

const MAX_AGE_MS = 1000;

/**
 * The backfill records of one store, read through a short cache. sidecar.ts builds one and gives
 * it to the backfill service, the listing-unit handler and the tracker ingest asks, so a cancel
 * made through this sidecar's API is seen by its consumers at once; records written by other
 * sidecars on the same store are re-read after a second.
 */
export class BackfillDirectory {
  private readonly cache = new Map<string, { record: BackfillRecord | undefined; at: number }>();

  constructor(readonly repo: BackfillRepository) {}

  async get(id: string, maxAgeMs = MAX_AGE_MS): Promise<BackfillRecord | undefined> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at <= maxAgeMs) {
      return hit.record;
    }
    const record = await this.repo.backfill(id);
    this.cache.set(id, { record, at: Date.now() });
    return record;
  }

  async save(record: BackfillRecord): Promise<void> {
    record.updatedAt = Date.now();
    await this.repo.saveBackfill(record);
    this.cache.set(record.id, { record: { ...record }, at: Date.now() });
  }

  /**
   * Changes a backfill's state only from the one expected, read afresh; returns whether it wrote.
   * Two sidecars may both write (each read the old state): the store keeps the later state
   * (see BackfillRepository), so a cancel in between still wins.
   */
  async transition(id: string, from: BackfillState, change: Partial<BackfillRecord>): Promise<boolean> {
    const current = await this.get(id, 0);
    if (current?.state !== from) {
      return false;
    }
    await this.save({ ...current, ...change });
    return true;
  }
}
