import { drainPending } from 'chdb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureRows } from '../query/testing';
import { ChdbStore } from './chdb';
import { MIGRATIONS } from './schema';

const LOWER_TEXT_INDEX = 7;

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
