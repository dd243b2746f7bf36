import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/load';
import type { LookbackConfig, StoreConfig } from '../config/types';
import { ChdbStore } from './chdb';
import { ClickHouseStore, type ClickHouseOptions } from './clickhouse';
import type { Store } from './store';

/** Opens the configured store (chDB unless `store.kind` is `clickhouse`) and brings its schema up to date. */
export async function openStore(config: LookbackConfig): Promise<Store> {
  const store =
    config.store.kind === 'clickhouse'
      ? await ClickHouseStore.connect(clickHouseOptions(config.store))
      : new ChdbStore(config.store.path ?? join(config.dataDir, 'chdb'));
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
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
