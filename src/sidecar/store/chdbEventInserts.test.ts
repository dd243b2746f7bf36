import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainPending } from 'chdb';
import { fixtureRows, openTestStore, type TestStore } from '../query/testing';
import { ChdbStore } from './chdb';
import type { EventRow } from './eventColumns';
import { EventRowEncoder } from './rowBinary';
import { toClickHouseTime } from './time';

const READ_BACK = `SELECT toString(time) AS time, toString(received_at) AS received_at, source_id, log_type, event_name, actor,
  src_ip, src_port, dst_ip, dst_port, outcome, status, severity, region, account, service, user_agent, bytes, raw, fields,
  bucket, key, etag, record_index, backfill_id FROM events WHERE key = {key:String} ORDER BY record_index`;

/** Values at the edges of the RowBinary writer: short strings copied as ASCII, the rest through Buffer.write. */
function edgeRows(key: string): EventRow[] {
  const [base] = fixtureRows();
  const short63 = 'a'.repeat(63);
  const ascii64 = 'b'.repeat(64);
  return [
    {
      ...base,
      key,
      record_index: 0,
      actor: 'café',
      event_name: '日本語',
      user_agent: short63,
      status: ascii64,
      src_port: 443,
      dst_port: 0,
      bytes: 2 ** 40 + 7,
    },
    { ...base, key, record_index: 1, actor: '', event_name: 'x🙂', user_agent: `${short63.slice(1)}é`, status: '', src_port: null, bytes: null },
    {
      ...base,
      key,
      record_index: 2,
      time: '1969-12-31 23:59:59.999',
      raw: `${'ü'.repeat(300)}"\\\n`,
      fields: { 'näme.ключ': 'значение', [ascii64]: short63, empty: '' },
    },
  ];
}

describe('event inserts into chDB (RowBinary through a spool file)', () => {
  let db: TestStore;

  beforeAll(async () => {
    db = await openTestStore(false);
  });

  afterAll(async () => {
    await db?.close();
  });

  const readBack = async (key: string) => (await db.store.query<EventRow>(READ_BACK, { key })).rows;

  it('store every value as the rows carry it, whatever its characters and length', async () => {
    const rows = edgeRows('edges.json');
    await db.store.insertEvents(rows, 'edges');
    expect(await readBack('edges.json')).toEqual(rows);
  });

  it('store rows encoded as ingest holds them: rows of several encoders interleaved, rows moved to a next chunk', async () => {
    const [base] = fixtureRows();
    // 9 KB rows in 16 KB first chunks: most rows are begun in one chunk and moved to the next.
    const objects = ['one.json', 'two.json'].map((key) =>
      Array.from({ length: 40 }, (_, i): EventRow => ({ ...base, key, record_index: i, raw: `${'r'.repeat(9000)}${i}`, fields: { n: String(i) } }))
    );
    const encoders = objects.map(() => new EventRowEncoder());
    const interleaved = objects[0].flatMap((_, i) => objects.map((rows, o) => encoders[o].encode(rows[i])));
    await db.store.insertEncodedEvents(interleaved, 'encoded');
    expect(await readBack('one.json')).toEqual(objects[0]);
    expect(await readBack('two.json')).toEqual(objects[1]);
  });

  it('drop a repeated insert with the same token and keep one with another', async () => {
    const rows = edgeRows('twice.json');
    await db.store.insertEvents(rows, 'twice');
    await db.store.insertEvents(rows, 'twice');
    expect(await readBack('twice.json')).toHaveLength(3);
    await db.store.insertEvents(rows, 'twice-again');
    expect(await readBack('twice.json')).toHaveLength(6);
  });

  it('store a chunk whose rows fall in more months than an insert may make parts by default (100), and drop its repeat whole', async () => {
    const [base] = fixtureRows();
    const rows = Array.from({ length: 150 }, (_, i): EventRow => ({
      ...base,
      key: 'months.json',
      record_index: i,
      time: toClickHouseTime(Date.UTC(2010, i, 15)),
    }));
    await db.store.insertEvents(rows, 'months');
    await db.store.insertEvents(rows, 'months');
    expect(await readBack('months.json')).toHaveLength(150);
    const { rows: parts } = await db.store.query<{ partitions: number }>("SELECT uniqExact(_partition_id) AS partitions FROM events WHERE key = 'months.json'");
    expect(Number(parts[0].partitions)).toBe(150);
  });

  it('run side by side and leave no spool file behind', async () => {
    const blocks = Array.from({ length: 6 }, (_, i) => edgeRows(`side-${i}.json`));
    await Promise.all(blocks.map((rows, i) => db.store.insertEvents(rows, `side-${i}`)));
    for (let i = 0; i < blocks.length; i++) {
      expect(await readBack(`side-${i}.json`)).toEqual(blocks[i]);
    }
    expect(readdirSync(join(db.store.path, 'insert-spool'))).toEqual([]);
  });

  it('clear what a killed process left in the spool when the store opens', async () => {
    const path = mkdtempSync(join(tmpdir(), 'lookback-spool-'));
    mkdirSync(join(path, 'insert-spool'), { recursive: true });
    writeFileSync(join(path, 'insert-spool', '123-1.rowbinary'), 'half a block');
    // The engine binds one data directory per process: this only checks the directory, with the
    // other store's sessions closed first.
    await db.close();
    const store = new ChdbStore(path);
    try {
      expect(readdirSync(join(path, 'insert-spool'))).toEqual([]);
    } finally {
      await store.close();
      await drainPending();
      rmSync(path, { recursive: true, force: true });
    }
    db = await openTestStore(false);
  });
});
