// The store contract, on both stores: chDB in this process, and the ClickHouse-server store
// through @clickhouse/client and the test server (tests/clickhouse/server.ts, ClickHouse's HTTP
// interface on chDB). The golden queries run on both in golden.test.ts and src/sidecar/query/.
import type { ListUnit } from '../../src/sidecar/backfill/planner';
import type { BackfillRecord } from '../../src/sidecar/backfill/repository';
import { BackfillTables } from '../../src/sidecar/store/backfills';
import { fixtureRows, ledgerEntry } from '../../src/sidecar/query/testing';
import { MIGRATIONS } from '../../src/sidecar/store/schema';
import type { EventRow } from '../../src/sidecar/store/eventColumns';
import type { Store } from '../../src/sidecar/store/store';
import { openChdbTestStore, openServerTestStore, type StoreUnderTest } from './stores';

// Each file starts a test server (a child process with chDB); the machine may be busy.
jest.setTimeout(60_000);

const LATEST = MIGRATIONS[MIGRATIONS.length - 1].version;
const DAY = Date.UTC(2024, 4, 1);
const HOUR = 3_600_000;

function backfillRecord(id: string, state: BackfillRecord['state']): BackfillRecord {
  return {
    id,
    sourceId: 'trail',
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: ['AWSLogs/'],
    from: DAY,
    to: DAY + 24 * HOUR,
    marginMinutes: 15,
    order: 'newest',
    roleArn: null,
    externalId: null,
    state,
    error: '',
    createdAt: DAY + 48 * HOUR,
    updatedAt: DAY + 48 * HOUR,
    finishedAt: null,
  };
}

function unitAt(prefix: string, time: number): ListUnit {
  return { prefix, time, filter: { from: DAY, to: DAY + 24 * HOUR, logType: 'cloudtrail' } };
}

/** Events that exercise every column type and awkward text: quotes, escapes, newlines, astral characters, big numbers. */
function awkwardRows(): EventRow[] {
  const base = fixtureRows()[0];
  return [
    {
      ...base,
      key: 'awkward/1',
      record_index: 1,
      actor: `it's "quoted" \\ back\\slash`,
      raw: 'line1\nline2\ttab\r\n\u0000nul',
      fields: {},
    },
    {
      ...base,
      key: 'awkward/2',
      record_index: 2,
      time: '2024-03-01T08:15:00.5Z',
      src_port: 0,
      dst_port: 65535,
      bytes: 2 ** 40 + 7,
      event_name: 'Ünïcödé 日本語 🦀',
      fields: { 'k.with.dots': 'v', emoji: '🦀🦀', empty: '', quote: "'" },
    },
    {
      ...base,
      key: 'awkward/3',
      record_index: 3,
      time: '1969-12-31 23:59:59.999',
      received_at: '2106-01-01 00:00:00.000',
      bytes: 0,
      src_port: null,
      dst_port: null,
      raw: 'x'.repeat(70_000),
    },
  ];
}

const count = async (store: Store, where: string, params = {}) =>
  Number((await store.query<{ n: number }>(`SELECT count() AS n FROM events WHERE ${where}`, params)).rows[0].n);

describe.each([
  ['chDB', openChdbTestStore],
  ['a ClickHouse server', () => openServerTestStore()],
])('the store on %s', (_name, open: () => Promise<StoreUnderTest>) => {
  let db: StoreUnderTest;
  let store: Store;

  beforeAll(async () => {
    db = await open();
    store = db.store;
  }, 120_000);
  afterAll(() => db?.close());

  it('migrates to the latest version, and migrating again changes nothing', async () => {
    expect(await store.migrate()).toBe(LATEST);
    const { rows } = await store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    const tables = await store.query<{ name: string }>('SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name');
    expect(tables.rows.map((r) => r.name)).toEqual([
      'backfill_listed',
      'backfill_objects',
      'backfill_pages',
      'backfill_priority',
      'backfill_units',
      'backfills',
      'detection_deliveries',
      'detection_hunts',
      'detections',
      'events',
      'ingest_ledger',
      'live_groups',
      'rejected_messages',
      'rule_runs',
      'rule_settings',
      'schema_migrations',
      'sources',
    ]);
  });

  it('says where it is and which ClickHouse runs it', async () => {
    expect(await store.version()).toMatch(/^26\.\d+\./);
    expect(store.describe()).toMatch(store.kind === 'chdb' ? /^chDB in \// : /^http:\/\/127\.0\.0\.1:\d+\/ database default$/);
  });

  it('stores a chunk of events once however often it is inserted with its token', async () => {
    const rows = fixtureRows()
      .slice(0, 6)
      .map((r, i) => ({ ...r, key: 'dedup/object.json', record_index: i }));
    await store.insertEvents(rows, 'chunk-a');
    await store.insertEvents(rows, 'chunk-a');
    expect(await count(store, "key = 'dedup/object.json'")).toBe(6);
    // Another token is another chunk.
    await store.insertEvents(rows, 'chunk-b');
    expect(await count(store, "key = 'dedup/object.json'")).toBe(12);
  });

  it('finds exactly the asked object versions in the ledger, however many are asked at once', async () => {
    await store.recordObjects([
      ledgerEntry('a.json', { bucket: 'logs', etag: 'e1', events: 3 }),
      ledgerEntry('b.json', { bucket: 'logs', etag: 'e2', events: 4 }),
      ledgerEntry('a.json', { bucket: 'other', etag: 'e2', events: 5 }),
    ]);
    const found = await store.findObjects([
      { bucket: 'logs', key: 'a.json', etag: 'e1' },
      // Bucket, key and ETag each occur in the ledger, but not together.
      { bucket: 'logs', key: 'a.json', etag: 'e2' },
      { bucket: 'other', key: 'b.json', etag: 'e2' },
      { bucket: 'other', key: 'a.json', etag: 'e2' },
    ]);
    expect(found.map((e) => [e.bucket, e.key, e.etag, e.events]).sort()).toEqual([
      ['logs', 'a.json', 'e1', 3],
      ['other', 'a.json', 'e2', 5],
    ]);
    expect(await store.findObjects([])).toEqual([]);

    // Two thousand CloudTrail-length keys: more than a server takes in one query parameter.
    const keys = Array.from(
      { length: 2000 },
      (_, i) =>
        `AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/111122223333_CloudTrail_us-east-1_20240501T${String(i).padStart(4, '0')}Z_abcdefghij.json.gz`
    );
    await store.recordObjects(keys.filter((_, i) => i % 2 === 0).map((key) => ledgerEntry(key)));
    const many = await store.findObjects(keys.map((key) => ({ bucket: 'logs', key, etag: `etag-${key}` })));
    expect(many.map((e) => e.key).sort()).toEqual(keys.filter((_, i) => i % 2 === 0).sort());
  });

  it('keeps rejected messages, and inserts batches of rows far larger than a query parameter', async () => {
    await store.recordRejected({
      sourceId: 'trail',
      queue: 'live',
      messageId: 'm-1',
      reason: 'not an S3 notification',
      body: '{"x":1}',
      receivedAt: '2024-05-01T00:00:00.000Z',
    });
    const big = Array.from({ length: 40 }, (_, i) => ({
      source_id: 'trail',
      queue: 'backfill',
      message_id: `big-${i}`,
      reason: 'r',
      body: 'b'.repeat(10_000),
      received_at: '2024-05-01 00:00:00.000',
    }));
    await store.insertRows('rejected_messages', big);
    const { rows } = await store.query<{ message_id: string; reason: string; n: number }>(
      "SELECT message_id, reason, length(body) AS n FROM rejected_messages FINAL WHERE message_id IN ('m-1', 'big-39') ORDER BY message_id"
    );
    expect(rows.map((r) => [r.message_id, r.reason, Number(r.n)])).toEqual([
      ['big-39', 'r', 10_000],
      ['m-1', 'not an S3 notification', 7],
    ]);
  });

  it('applies a migration it has not recorded even below the highest it has (branches number theirs apart)', async () => {
    await store.exec('DROP TABLE backfill_pages');
    await store.exec('TRUNCATE TABLE schema_migrations');
    await store.exec(`INSERT INTO schema_migrations SELECT number, 'recorded', now64(3) FROM numbers(1, {n:UInt32}) WHERE number != 5`, { n: LATEST + 1 });
    expect(await store.migrate()).toBe(LATEST + 1);
    const { rows } = await store.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toContain(5);
    expect((await store.query('SELECT count() AS n FROM backfill_pages')).rows).toEqual([{ n: expect.anything() }]);
  });

  it('keeps backfills, their plans, listed pages and listed and handled objects, and counts them', async () => {
    const repo = new BackfillTables(store);
    const record = backfillRecord('bf-contract', 'listing');
    await repo.saveBackfill(record);
    await repo.saveBackfill({ ...record, state: 'running', updatedAt: record.updatedAt + 1000 });
    expect(await repo.backfill('bf-contract')).toEqual({
      ...record,
      state: 'running',
      updatedAt: record.updatedAt + 1000,
    });
    expect((await repo.backfills({ states: ['running'] })).map((b) => b.id)).toEqual(['bf-contract']);
    // A state never goes back, whoever writes last; a cancel wins.
    await repo.saveBackfill({ ...record, state: 'listing', error: 'stale' });
    expect((await repo.backfill('bf-contract'))?.state).toBe('running');
    await repo.saveBackfill({ ...record, state: 'cancelled' });
    await repo.saveBackfill({ ...record, state: 'done' });
    expect((await repo.backfill('bf-contract'))?.state).toBe('cancelled');

    const units = [unitAt('AWSLogs/a/', DAY), unitAt('AWSLogs/b/', DAY + HOUR)];
    await repo.savePlan('bf-contract', units);
    expect(await repo.plan('bf-contract')).toEqual(units);
    const page = { prefix: 'AWSLogs/b/', seen: 3, enqueued: 2, ignored: 1 };
    await repo.recordPage('bf-contract', { ...page, page: 0, token: '', nextToken: 'tok' });
    await repo.recordPage('bf-contract', { ...page, page: 1, token: 'tok', nextToken: '' });
    // Recorded again (its unit delivered twice): one page.
    await repo.recordPage('bf-contract', { ...page, page: 1, token: 'tok', nextToken: '' });
    expect(await repo.pageRecorded('bf-contract', 'AWSLogs/b/', 1)).toBe(true);
    expect(await repo.pageRecorded('bf-contract', 'AWSLogs/a/', 0)).toBe(false);
    expect(await repo.unlistedUnits(['bf-contract'])).toEqual([{ backfillId: 'bf-contract', time: DAY }]);

    await repo.recordListed('bf-contract', [
      { key: 'k1', etag: 'e1', size: 100, keyTime: DAY },
      { key: 'k2', etag: 'e2', size: 50, keyTime: DAY + HOUR },
    ]);
    await repo.recordHandled([
      {
        backfillId: 'bf-contract',
        bucket: 'logs',
        key: 'k1',
        etag: 'e1',
        size: 100,
        status: 'ok',
        events: 7,
        malformed: 1,
        minTime: '2024-05-01T00:10:00.000Z',
        maxTime: '2024-05-01T00:20:00.000Z',
        duplicate: false,
      },
    ]);
    expect(await repo.handledKeys('bf-contract', ['k1', 'k2'])).toEqual(new Set(['k1']));
    expect((await repo.progress(['bf-contract'])).get('bf-contract')).toMatchObject({
      units: 2,
      unitsDone: 1,
      pages: 2,
      seen: 6,
      enqueued: 4,
      ignored: 2,
      listed: 2,
      bytesListed: 150,
      processed: 1,
      events: 7,
      malformed: 1,
      coverageFrom: Date.parse('2024-05-01T00:10:00.000Z'),
      coverageTo: Date.parse('2024-05-01T00:20:00.000Z'),
    });
  });

  it('records the objects of a full listing page at once, far more than a query parameter holds', async () => {
    const repo = new BackfillTables(store);
    // 1,000 listed objects with long keys: some 180 KB of rows, over a server's 128 KiB cap on one parameter.
    const listed = Array.from({ length: 1000 }, (_, i) => ({
      key: `AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/${'x'.repeat(120)}-${String(i).padStart(4, '0')}.json.gz`,
      etag: `etag-${i}`,
      size: 10,
      keyTime: DAY + i * 1000,
    }));
    await repo.savePlan('bf-page', [unitAt('AWSLogs/', DAY)]);
    await repo.recordListed('bf-page', listed);
    expect((await repo.progress(['bf-page'])).get('bf-page')).toMatchObject({ listed: 1000, bytesListed: 10_000 });
    expect((await repo.pendingHours(['bf-page'], DAY, DAY + 24 * HOUR)).get(DAY / HOUR)).toBe(1000);
  });

  it('runs a query read-only and within its limits, and says which limit stopped it', async () => {
    await expect(store.query('INSERT INTO sources SELECT * FROM sources', {}, { readonly: true })).rejects.toThrow(/^Code: 164\. .*\(READONLY\)/);
    const limited = await store.query<{ number: number }>('SELECT number FROM numbers(100000)', {}, { readonly: true, maxResultRows: 10 });
    expect(limited.rows.length).toBeLessThan(100_000);
    await expect(store.query('SELECT sleepEachRow(0.25) FROM numbers(10)', {}, { readonly: true, maxExecutionSeconds: 1 })).rejects.toThrow(
      /^Code: 159\. DB::Exception: Timeout exceeded/
    );
  });

  it('stops waiting for a query when its signal aborts', async () => {
    const controller = new AbortController();
    const slow = store.query('SELECT sleepEachRow(0.25) FROM numbers(10)', {}, { readonly: true, maxExecutionSeconds: 30, signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(slow).rejects.toThrow(/abort/i);
    // The store still answers afterwards (chDB once the abandoned statement is over).
    expect((await store.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('the two stores', () => {
  const stores: StoreUnderTest[] = [];
  afterAll(async () => {
    for (const db of stores) {
      await db.close();
    }
  });

  it('store the same events the same way: JSONEachRow into chDB, RowBinary into a server', async () => {
    const rows = [...fixtureRows(), ...awkwardRows()];
    const read = async (db: StoreUnderTest) => {
      await db.store.insertEvents(rows, 'same-rows');
      return (await db.store.query('SELECT * FROM events ORDER BY key, record_index, time')).rows;
    };
    stores.push(await openChdbTestStore());
    const inChdb = await read(stores[0]);
    stores.push(await openServerTestStore());
    const onServer = await read(stores[1]);
    expect(onServer).toHaveLength(rows.length);
    expect(onServer).toEqual(inChdb);
    expect(inChdb.find((r) => r.key === 'awkward/2')).toMatchObject({
      time: '2024-03-01 08:15:00.500',
      bytes: 2 ** 40 + 7,
      event_name: 'Ünïcödé 日本語 🦀',
      dst_port: 65535,
    });
  }, 120_000);
});
