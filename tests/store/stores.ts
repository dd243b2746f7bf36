import type { ChdbStore } from '../../src/sidecar/store/chdb';
import { ClickHouseStore, type ClickHouseOptions } from '../../src/sidecar/store/clickhouse';
import { fixtureRows, openTestStore } from '../../src/sidecar/query/testing';
import { startTestClickHouse, type TestClickHouse, type TestServerOptions } from '../clickhouse/start';

/** A store for the contract tests, and how to dispose of it. */
export interface StoreUnderTest<S = ChdbStore | ClickHouseStore> {
  store: S;
  close(): Promise<void>;
}

export interface ServerStoreUnderTest extends StoreUnderTest<ClickHouseStore> {
  server: TestClickHouse;
  options: ClickHouseOptions;
}

export const TEST_USER = { username: 'lookback', password: 'test-password-1' };

/**
 * The ClickHouse-server store on a fresh test server (tests/clickhouse/server.ts: ClickHouse's
 * HTTP interface on chDB, in a child process), migrated, optionally loaded with the golden events.
 */
export async function openServerTestStore(
  opts: { withFixtures?: boolean; server?: TestServerOptions; store?: Partial<ClickHouseOptions> } = {}
): Promise<ServerStoreUnderTest> {
  const server = await startTestClickHouse({ users: { [TEST_USER.username]: TEST_USER.password }, ...opts.server });
  const options: ClickHouseOptions = {
    url: server.url,
    ...TEST_USER,
    database: 'default',
    requestTimeoutSeconds: 60,
    ...opts.store,
  };
  try {
    const store = await ClickHouseStore.connect(options);
    await store.migrate();
    if (opts.withFixtures) {
      await store.insertEvents(fixtureRows(), 'golden-fixtures');
    }
    return {
      store,
      server,
      options,
      async close() {
        await store.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** The chDB store in a temp directory, migrated, without events. */
export const openChdbTestStore = (): Promise<StoreUnderTest> => openTestStore(false);
