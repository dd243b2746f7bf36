import type { BackfillRecord, BackfillRepository } from './repository';

const MAX_AGE_MS = 1000;

/**
 * The backfill records of one store, read through a short cache. sidecar.ts builds one and gives
 * it to the backfill service and to the tracker ingest asks, so a cancel made through this
 * sidecar's API is seen by its consumer at once; records written by other sidecars on the same
 * store are re-read after a second.
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
}
