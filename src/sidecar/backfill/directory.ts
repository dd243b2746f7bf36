import type { Store } from '../store/store';
import { BackfillRepository, type BackfillRecord } from './repository';

const MAX_AGE_MS = 1000;

/**
 * The backfill records of one store, shared by the API's backfill service and the consumer in
 * the same process, so a cancel is seen by the consumer at once; records written by other
 * sidecars on the same store are re-read after a second.
 */
export class BackfillDirectory {
  readonly repo: BackfillRepository;
  private readonly cache = new Map<string, { record: BackfillRecord | undefined; at: number }>();

  constructor(store: Store) {
    this.repo = new BackfillRepository(store);
  }

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

const directories = new WeakMap<Store, BackfillDirectory>();

export function backfillDirectory(store: Store): BackfillDirectory {
  let directory = directories.get(store);
  if (!directory) {
    directory = new BackfillDirectory(store);
    directories.set(store, directory);
  }
  return directory;
}
