import { join } from 'node:path';
import type { LookbackConfig } from '../config/types';
import type { Logger } from '../log';
import { ChdbStore } from './chdb';
import type { Store } from './store';

/** Where the embedded store keeps its files. */
export function storePath(config: LookbackConfig): string {
  return config.store.path ?? join(config.dataDir, 'chdb');
}

export async function openStore(config: LookbackConfig, log: Logger): Promise<Store> {
  const path = storePath(config);
  const store = await ChdbStore.open(path, config.store.lockWaitSeconds * 1000, (pid) =>
    log.warn({ pid, store: path, waitSeconds: config.store.lockWaitSeconds }, `waiting for process ${pid} to release the store`)
  );
  await store.migrate();
  return store;
}
