import { drainPending } from 'chdb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureRows } from '../query/testing';
import { ChdbStore } from './chdb';
import { applyMigrations, eventsPartitionKey } from './migrate';
import { MIGRATIONS } from './schema';

const LOWER_TEXT_INDEX = 7;
const EVENTS_BY_DAY = 8;

describe('the migration to the text index over lower-cased raw, on a store holding events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-migrate-'));
  let store: ChdbStore;
  const indexBytes = async () => {
    const { rows } = await store.query<{ name: string; bytes: number }>(
      "SELECT name, data_compressed_bytes AS bytes FROM system.data_skipping_indices WHERE table = 'events' AND name LIKE 'raw%' ORDER BY name"
    );
    return rows.map((r) => [r.name, Number(r.bytes) > 0]);
  };
  const keysWhere = async (condition: string) => {
    const { rows } = await store.query<{ key: string }>(`SELECT key FROM events WHERE ${condition} ORDER BY key`);
    return rows.map((r) => r.key);
  };

  beforeAll(async () => {
    store = new ChdbStore(dir);
    // The schema as it was before: every earlier migration's statements, and events written under it.
    for (const statement of MIGRATIONS.filter((m) => m.version < LOWER_TEXT_INDEX).flatMap((m) => m.statements)) {
      await store.exec(statement);
    }
    const base = fixtureRows()[0];
    const texts = ['AccessDenied by bob', 'accessdenied by alice', 'ACCESSDENIEDX', 'Success'];
    await store.insertEvents(
      texts.map((raw, i) => ({ ...base, key: `old/${i}`, record_index: i, raw })),
      'old'
    );
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await drainPending();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replaces the case-sensitive index, answers the same on the parts written before, and builds their index in the background', async () => {
    expect(await indexBytes()).toEqual([['raw_text', true]]);
    const before = await keysWhere("hasTokenCaseInsensitive(raw, 'AccessDenied')");
    expect(before).toEqual(['old/0', 'old/1']);

    await store.migrate();
    expect(await keysWhere("hasToken(lower(raw), 'accessdenied')")).toEqual(before);
    expect(await keysWhere("hasAllTokens(lower(raw), ['accessdenied']) AND hasToken(raw, 'AccessDenied')")).toEqual(['old/0']);

    // The old part gets the new index from a mutation the migration does not wait for.
    for (let i = 0; i < 600 && (await indexBytes()).some(([, built]) => !built); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await indexBytes()).toEqual([['raw_lower_text', true]]);
    expect(await keysWhere("hasToken(lower(raw), 'accessdenied')")).toEqual(before);
  }, 120_000);
});

describe('the events table partitioned by day (migration 8)', () => {
  /** The events table's columns and indexes, and how it is partitioned, in a store made by `make`. */
  const eventsTableOf = async (make: (store: ChdbStore) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'lookback-migrate-'));
    const store = new ChdbStore(dir);
    try {
      await make(store);
      await store.migrate();
      const columns = await store.query<{ name: string; type: string }>(
        "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'events' ORDER BY position"
      );
      const indexes = await store.query<{ name: string; expr: string; type: string; granularity: number }>(
        "SELECT name, expr, type_full AS type, granularity FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'events' ORDER BY name"
      );
      const { rows: migrations } = await store.query<{ v: number }>('SELECT version AS v FROM schema_migrations ORDER BY version');
      return { columns: columns.rows, indexes: indexes.rows, partitionKey: await eventsPartitionKey(store), migrations: migrations.map((m) => Number(m.v)) };
    } finally {
      await store.close();
      await drainPending();
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('makes the events table of a new store by day, with the columns and indexes a store made before has after every migration', async () => {
    const made = await eventsTableOf(async () => undefined);
    // A store as the release before made it: every migration but this one, applied and recorded.
    const before = await eventsTableOf(async (store) => {
      await applyMigrations(
        store,
        undefined,
        MIGRATIONS.filter((m) => m.version !== EVENTS_BY_DAY)
      );
    });
    expect(made.partitionKey).toBe('toDate(time)');
    expect(before.partitionKey).toBe('toYYYYMM(time)');
    expect(made.columns).toEqual(before.columns);
    expect(made.indexes).toEqual(before.indexes);
    expect(made.indexes.map((i) => i.name)).toEqual(['actor_bf', 'event_name_bf', 'raw_lower_text', 'received_at_minmax', 'src_ip_bf']);
    const all = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);
    expect(made.migrations).toEqual(all);
    expect(before.migrations).toEqual(all);
  }, 120_000);
});
