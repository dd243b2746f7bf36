import { join } from 'node:path';
import type { LookbackConfig } from '../config/types';
import { ChdbStore } from './chdb';
import type { Store } from './store';

export async function openStore(config: LookbackConfig): Promise<Store> {
  const store = new ChdbStore(config.store.path ?? join(config.dataDir, 'chdb'));
  await store.migrate();
  return store;
}
