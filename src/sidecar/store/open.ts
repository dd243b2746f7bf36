import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/load';
import type { LookbackConfig, StoreConfig } from '../config/types';
import type { Logger } from '../log';
import { ChdbStore } from './chdb';
import { ClickHouseStore, type ClickHouseOptions } from './clickhouse';
import type { Store } from './store';

/** Where the embedded store keeps its files. */
export function storePath(config: LookbackConfig): string {
  return config.store.path ?? join(config.dataDir, 'chdb');
}

/** Opens the configured store (chDB unless `store.kind` is `clickhouse`) and brings its schema up to date. */
export async function openStore(config: LookbackConfig, log: Logger): Promise<Store> {
  const store = config.store.kind === 'clickhouse' ? await ClickHouseStore.connect(clickHouseOptions(config.store)) : await openChdb(config, log);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function openChdb(config: LookbackConfig, log: Logger): Promise<ChdbStore> {
  const path = storePath(config);
  return ChdbStore.open(path, config.store.lockWaitSeconds * 1000, (pid) =>
    log.warn({ pid, store: path, waitSeconds: config.store.lockWaitSeconds }, `waiting for process ${pid} to release the store`)
  );
}

export function clickHouseOptions(store: StoreConfig): ClickHouseOptions {
  if (/^https?:\/\/[^/?#]*@/.test(store.url ?? '')) {
    // A URL ends up in logs and errors: the credentials have fields of their own.
    throw new ConfigError('invalid config: store.url: put the user and password in store.username and store.password, not in the URL');
  }
  return {
    url: store.url ?? '',
    username: store.username ?? 'default',
    password: store.password ?? '',
    database: store.database ?? 'default',
    cluster: store.cluster,
    tls: store.tls && {
      ca: readPem('store.tls.caFile', store.tls.caFile),
      cert: store.tls.certFile ? readPem('store.tls.certFile', store.tls.certFile) : undefined,
      key: store.tls.keyFile ? readPem('store.tls.keyFile', store.tls.keyFile) : undefined,
    },
    requestTimeoutSeconds: store.requestTimeoutSeconds ?? 120,
  };
}

function readPem(field: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`invalid config: ${field}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
}
