import { gzipSync } from 'node:zlib';
import { createLogger } from '../log';
import { openTestStore, type TestStore } from '../query/testing';
import { LiveGroupTable } from '../store/liveGroups';
import { BatchedLedger } from './batchedLedger';
import { NotificationHandler } from './handler';
import { BUCKET, FakeBookkeeping, FakeS3, message, notification, PREFIX, recordingStore, trail } from './testing';

const log = createLogger('silent');
const signal = new AbortController().signal;
/** Long enough that messages handled together on a busy machine still meet in one group. */
const LINGER_MS = 500;

describe('live objects that arrive together', () => {
  let db: TestStore;
  let s3: FakeS3;
  let named = 0;

  beforeAll(async () => {
    db = await openTestStore(false);
  }, 60_000);
  afterAll(() => db.close());
  beforeEach(() => {
    s3 = new FakeS3();
  });

  const keys = (...names: string[]) => names.map((name) => `${PREFIX}live-${name}-${named++}.json.gz`);
  const put = (key: string, n: number) => s3.objects.set(`${BUCKET}/${key}`, trail(n));
  const events = async (key: string) =>
    Number((await db.store.query<{ n: number }>('SELECT count() AS n FROM events WHERE key = {key:String}', { key })).rows[0].n);
  const ledger = async (key: string) => (await db.store.findObjects([{ bucket: BUCKET, key, etag: `etag-${key}` }]))[0];
  const groups = async (ks: string[]) =>
    (
      await db.store.query<{ key: string; group_id: string }>('SELECT key, group_id FROM live_groups WHERE key IN {keys:Array(String)} ORDER BY position', {
        keys: ks,
      })
    ).rows;

  /**
   * A handler that groups live objects, over the test store with its event inserts recorded and
   * its ledger writes failing once `ledgerWrites` have been made; a new one stands for the
   * sidecar after a restart.
   */
  function liveHandler(maxObjectRecords = 1000) {
    const { store, inserts, state } = recordingStore(db.store);
    const handler = new NotificationHandler({
      store,
      ledger: new BatchedLedger(store),
      backfills: new FakeBookkeeping(s3.clients()),
      log,
      ingest: { insertBatchRows: 20_000, maxObjectBytes: 1 << 30, maxObjectRecords, liveConcurrency: 4, backfillConcurrency: 4 },
      liveGroups: { table: new LiveGroupTable(db.store), lingerMs: LINGER_MS },
    });
    return { handler, inserts, state };
  }
  const handleAll = (handler: NotificationHandler, bodies: string[]) => Promise.all(bodies.map((body) => handler.handle(message(body), signal)));

  /** One live message per object, handled together by a handler whose ledger is down: the group's insert lands, its ledger rows do not. */
  async function insertedNotRecorded(objects: string[]) {
    const crashed = liveHandler();
    crashed.state.ledgerWrites = 0;
    const bodies = objects.map((key) => notification(BUCKET, key));
    const results = await Promise.allSettled(bodies.map((body) => crashed.handler.handle(message(body), signal)));
    return { crashed, bodies, results };
  }

  it('share one insert, each stored once, and each message is deleted', async () => {
    const objects = keys('a', 'b', 'c');
    objects.forEach((key, i) => put(key, 2 + i));
    const { handler, inserts } = liveHandler();
    expect(
      await handleAll(
        handler,
        objects.map((key) => notification(BUCKET, key))
      )
    ).toEqual(['delete', 'delete', 'delete']);
    expect(inserts.map((i) => i.keys.sort())).toEqual([[...objects].sort()]);
    expect(await Promise.all(objects.map(events))).toEqual([2, 3, 4]);
    expect(await Promise.all(objects.map(async (key) => (await ledger(key))?.status))).toEqual(['ok', 'ok', 'ok']);
    const recorded = await groups(objects);
    expect(recorded.map((r) => r.key).sort()).toEqual([...objects].sort());
    expect(new Set(recorded.map((r) => r.group_id)).size).toBe(1);
  });

  it('store an object once when its message is handled twice at once and once more later', async () => {
    const [key] = keys('twice');
    put(key, 5);
    const { handler, inserts } = liveHandler();
    const body = notification(BUCKET, key);
    expect(await handleAll(handler, [body, body])).toEqual(['delete', 'delete']);
    expect(await handler.handle(message(body), signal)).toBe('delete');
    expect(inserts).toHaveLength(1);
    expect(s3.reads).toEqual([key]);
    expect(await events(key)).toBe(5);
  });

  it('are inserted again as the same group, under the same tokens, when one comes back after their insert was stored and not recorded', async () => {
    const [first, second] = keys('first', 'second');
    put(first, 3);
    put(second, 4);
    const { crashed, bodies, results } = await insertedNotRecorded([first, second]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(crashed.inserts.map((i) => i.keys.sort())).toEqual([[first, second].sort()]);
    expect(await ledger(first)).toBeUndefined();

    // After a restart only the second object's message is back: its group is read again whole.
    const restarted = liveHandler();
    s3.reads.length = 0;
    expect(await restarted.handler.handle(message(bodies[1]), signal)).toBe('delete');
    expect(restarted.inserts).toEqual(crashed.inserts);
    expect(s3.reads.sort()).toEqual([first, second].sort());
    expect([await events(first), await events(second)]).toEqual([3, 4]);
    expect([(await ledger(first))?.status, (await ledger(second))?.status]).toEqual(['ok', 'ok']);
    // The first object's message then finds it done.
    expect(await restarted.handler.handle(message(bodies[0]), signal)).toBe('delete');
    expect(restarted.inserts).toHaveLength(1);
  });

  it("leave an object recorded in another source's group to that source's message, which inserts the group again", async () => {
    const [shared, own] = keys('shared', 'own');
    put(shared, 2);
    put(own, 3);
    const { bodies } = await insertedNotRecorded([shared, own]);

    // A second source over the same bucket is notified of the shared object: it may not read the group's other object.
    const restarted = liveHandler();
    const viaOther = message(bodies[0]);
    const other = { ...viaOther, binding: { ...viaOther.binding, source: { ...viaOther.binding.source, id: 'other' } } };
    s3.reads.length = 0;
    expect(await restarted.handler.handle(other, signal)).toBe('retry');
    expect(s3.reads).toEqual([]);
    expect(await restarted.handler.handle(message(bodies[0]), signal)).toBe('delete');
    expect(await restarted.handler.handle(other, signal)).toBe('delete');
    expect([await events(shared), await events(own)]).toEqual([2, 3]);
  });

  it('leave out an object whose rows would take too much memory to hold: it goes alone, streamed', async () => {
    const [large] = keys('large');
    const records = Array.from({ length: 12_000 }, (_, i) => ({
      eventVersion: '1.08',
      eventTime: new Date(Date.UTC(2024, 4, 1, 10) + i * 1000).toISOString(),
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.7',
      userIdentity: { type: 'IAMUser', userName: 'bob' },
      requestParameters: { bucketName: 'data', key: `reports/${i}.csv` },
    }));
    s3.objects.set(`${BUCKET}/${large}`, gzipSync(JSON.stringify({ Records: records })));
    const { handler } = liveHandler(20_000);
    expect(await handler.handle(message(notification(BUCKET, large)), signal)).toBe('delete');
    expect(await events(large)).toBe(12_000);
    expect(await groups([large])).toEqual([]);
  });

  it('keep landing when one of them is missing, which is recorded with its reason', async () => {
    const [good, missing] = keys('good', 'missing');
    put(good, 2);
    const { handler } = liveHandler();
    expect(await handleAll(handler, [notification(BUCKET, good), notification(BUCKET, missing)])).toEqual(['delete', 'delete']);
    expect(await events(good)).toBe(2);
    expect(await ledger(missing)).toMatchObject({ status: 'failed', error: expect.stringMatching(/NoSuchKey/) });
  });

  it('leave out an object that needs another try: it joins no group, and only its message is retried', async () => {
    const [flaky, fine] = keys('flaky', 'fine');
    put(flaky, 2);
    put(fine, 3);
    s3.unreachable.add(flaky);
    const { handler } = liveHandler();
    expect(await handleAll(handler, [notification(BUCKET, flaky), notification(BUCKET, fine)])).toEqual(['retry', 'delete']);
    expect((await groups([flaky, fine])).map((r) => r.key)).toEqual([fine]);
    s3.unreachable.delete(flaky);
    expect(await handler.handle(message(notification(BUCKET, flaky)), signal)).toBe('delete');
    expect([await events(flaky), await events(fine)]).toEqual([2, 3]);
  });
});
