import { createLogger } from '../log';
import { openTestStore, type TestStore } from '../query/testing';
import type { EncodedRow } from '../store/rowBinary';
import type { MessageBackfill } from './backfills';
import { BatchedLedger } from './batchedLedger';
import { NotificationHandler, RETRY_ALONE_DELAY_SECONDS } from './handler';
import { parseNotification } from './notifications';
import { backfillNotification, BUCKET, FakeBookkeeping, FakeS3, message, notification, PREFIX, recordingStore, sizedNotification, trail } from './testing';

const log = createLogger('silent');

describe('the notification handler', () => {
  let db: TestStore;
  let s3: FakeS3;
  let bookkeeping: FakeBookkeeping;
  let handler: NotificationHandler;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    db = await openTestStore(false);
  }, 60_000);
  afterAll(() => db.close());

  beforeEach(() => {
    s3 = new FakeS3();
    bookkeeping = new FakeBookkeeping(s3.clients());
    handler = new NotificationHandler({
      store: db.store,
      ledger: new BatchedLedger(db.store),
      backfills: bookkeeping,
      log,
      ingest: { insertBatchRows: 2, maxObjectBytes: 1 << 20, maxObjectRecords: 1000, liveConcurrency: 4, backfillConcurrency: 4 },
    });
  });

  const events = async (key: string) =>
    Number((await db.store.query<{ n: number }>('SELECT count() AS n FROM events WHERE key = {key:String}', { key })).rows[0].n);
  const ledger = async (key: string) => (await db.store.findObjects([{ bucket: BUCKET, key, etag: `etag-${key}` }]))[0];
  const rejected = async (id: string) =>
    (await db.store.query<{ reason: string }>('SELECT reason FROM rejected_messages FINAL WHERE message_id = {id:String}', { id })).rows;

  it('ingests the object a notification names, then asks for the message to be deleted', async () => {
    const key = `${PREFIX}one.json.gz`;
    s3.objects.set(`${BUCKET}/${key}`, trail(3));
    expect(await handler.handle(message(notification(BUCKET, key)), signal)).toBe('delete');
    expect(await events(key)).toBe(3);
    expect(await ledger(key)).toMatchObject({ status: 'ok', events: 3, etag: `etag-${key}`, sourceId: 'trail' });
  });

  it('ingests every object of a message with several records, a missing one recorded as failed', async () => {
    const [a, missing, c] = ['a', 'missing', 'c'].map((name) => `${PREFIX}${name}.json.gz`);
    s3.objects.set(`${BUCKET}/${a}`, trail(2));
    s3.objects.set(`${BUCKET}/${c}`, trail(5));
    expect(await handler.handle(message(notification(BUCKET, a, missing, c)), signal)).toBe('delete');
    expect([await events(a), await events(missing), await events(c)]).toEqual([2, 0, 5]);
    expect(await ledger(missing)).toMatchObject({ status: 'failed', error: expect.stringMatching(/NoSuchKey/) });
  });

  it('leaves a message for redelivery when an object needs another try, and reads nothing twice when it comes back', async () => {
    const [first, flaky] = ['first', 'flaky'].map((name) => `${PREFIX}${name}.json.gz`);
    s3.objects.set(`${BUCKET}/${first}`, trail(4));
    s3.objects.set(`${BUCKET}/${flaky}`, trail(1));
    s3.unreachable.add(flaky);
    const body = notification(BUCKET, first, flaky);
    expect(await handler.handle(message(body), signal)).toBe('retry');
    expect(await ledger(flaky)).toBeUndefined();

    s3.unreachable.delete(flaky);
    s3.reads.length = 0;
    expect(await handler.handle(message(body), signal)).toBe('delete');
    expect(s3.reads).toEqual([flaky]);
    expect([await events(first), await events(flaky)]).toEqual([4, 1]);
  });

  it('records a message it cannot read, and the objects its queue may not name, then drops them', async () => {
    const notJson = message('not a notification');
    expect(await handler.handle(notJson, signal)).toBe('delete');
    expect(await rejected(notJson.id)).toEqual([{ reason: expect.stringMatching(/^message body is not JSON/) }]);

    const foreign = message(notification('someone-elses-bucket', `${PREFIX}x.json.gz`));
    expect(await handler.handle(foreign, signal)).toBe('delete');
    expect(await rejected(foreign.id)).toEqual([
      { reason: expect.stringMatching(/^1 of 1 objects refused: s3:\/\/someone-elses-bucket\/.* is not in the bucket of source "trail" \(logs\)$/) },
    ]);
    expect(s3.reads).toEqual([]);
  });

  it('tells the backfill which objects it handled, and drops the messages of a cancelled one', async () => {
    const backfill: MessageBackfill = { id: 'bf-1', sourceId: 'trail', bucket: BUCKET, region: 'us-east-1', state: 'running', roleArn: null, externalId: null };
    bookkeeping.backfills.set('bf-1', backfill);
    const [fresh, known] = ['fresh', 'known'].map((name) => `${PREFIX}bf-${name}.json.gz`);
    s3.objects.set(`${BUCKET}/${fresh}`, trail(1));
    s3.objects.set(`${BUCKET}/${known}`, trail(1));
    expect(await handler.handle(message(notification(BUCKET, known)), signal)).toBe('delete');
    expect(await handler.handle(message(backfillNotification('bf-1', fresh, known), 'backfill'), signal)).toBe('delete');
    expect(bookkeeping.handledObjects).toEqual([
      { backfillId: 'bf-1', key: known, status: 'ok', duplicate: true },
      { backfillId: 'bf-1', key: fresh, status: 'ok', duplicate: false },
    ]);

    bookkeeping.backfills.set('bf-1', { ...backfill, state: 'cancelled' });
    s3.reads.length = 0;
    const later = `${PREFIX}bf-later.json.gz`;
    expect(await handler.handle(message(backfillNotification('bf-1', later), 'backfill'), signal)).toBe('delete');
    expect(bookkeeping.cancelledObjects).toEqual([{ backfillId: 'bf-1', keys: [later] }]);
    expect(s3.reads).toEqual([]);

    const unknown = message(backfillNotification('bf-nope', later), 'backfill');
    expect(await handler.handle(unknown, signal)).toBe('delete');
    expect(await rejected(unknown.id)).toEqual([{ reason: expect.stringMatching(/names backfill "bf-nope", which does not exist/) }]);
  });

  describe('with a message of many objects', () => {
    let named = 0;
    const keys = (...names: string[]) => names.map((name) => `${PREFIX}packed-${name}-${named++}.json.gz`);
    const put = (key: string, n: number) => s3.objects.set(`${BUCKET}/${key}`, trail(n));
    const total = async (ks: string[]) => (await Promise.all(ks.map(events))).reduce((a, b) => a + b, 0);

    /** A handler over this store (a test store whose methods a test changes), with blocks of `insertBatchRows` rows. */
    const handlerOver = (store: typeof db.store, insertBatchRows: number) =>
      new NotificationHandler({
        store,
        ledger: new BatchedLedger(store),
        backfills: bookkeeping,
        log,
        ingest: { insertBatchRows, maxObjectBytes: 1 << 20, maxObjectRecords: 1000, liveConcurrency: 4, backfillConcurrency: 4 },
      });

    /** A handler over the test store whose event inserts are recorded, and whose ledger writes fail once `ledgerWrites` have been made. */
    function recordingHandler(insertBatchRows: number) {
      const { store, inserts, state } = recordingStore(db.store);
      return { handler: handlerOver(store, insertBatchRows), inserts, state };
    }

    it('inserts whole objects together up to the block bound (a sixteenth of it for the first block), an object larger than a block in chunks of its own, in message order', async () => {
      const [a, b, c, big, d] = keys('a', 'b', 'c', 'big', 'd');
      [a, b, c, d].forEach((key) => put(key, 2));
      put(big, 7);
      const { handler: h, inserts } = recordingHandler(5);
      expect(await h.handle(message(notification(BUCKET, a, b, c, big, d)), signal)).toBe('delete');
      expect(inserts.map((i) => i.keys)).toEqual([[a], [b, c], [big], [big], [d]]);
      expect(new Set(inserts.map((i) => i.token)).size).toBe(5);
      expect(await total([a, b, c, big, d])).toBe(15);
    });

    it('inserts a message whose objects are listed small in full blocks from its start', async () => {
      const [a, b, c] = keys('s0', 's1', 's2');
      [a, b, c].forEach((key) => put(key, 2));
      const { handler: h, inserts } = recordingHandler(4);
      expect(await h.handle(message(sizedNotification(BUCKET, 100, [a, b, c])), signal)).toBe('delete');
      expect(inserts.map((i) => i.keys)).toEqual([[a, b], [c]]);
      expect(await total([a, b, c])).toBe(6);
    });

    /**
     * A handler whose first event insert is held until the second is sent (10 s at most), then
     * stored or failed; the objects of a backfill message are reported in the order they settle.
     */
    function heldFirstInsert(insertBatchRows: number, firstFails: boolean) {
      const seen = { secondSentFirst: false };
      let sendSecond = () => undefined as void;
      const secondSent = new Promise<void>((resolve) => (sendSecond = resolve));
      let inserts = 0;
      const store = Object.assign(Object.create(db.store) as typeof db.store, {
        insertEncodedEvents: async (rows: EncodedRow[], token: string) => {
          const n = ++inserts;
          if (n === 1) {
            await Promise.race([secondSent, new Promise((resolve) => setTimeout(resolve, 10_000))]);
            seen.secondSentFirst = inserts > 1;
            if (firstFails) {
              throw new Error('the insert failed');
            }
          } else if (n === 2) {
            sendSecond();
          }
          await db.store.insertEncodedEvents(rows, token);
        },
      });
      return { handler: handlerOver(store, insertBatchRows), seen };
    }
    const runningBackfill = (id: string): MessageBackfill => ({
      id,
      sourceId: 'trail',
      bucket: BUCKET,
      region: 'us-east-1',
      state: 'running',
      roleArn: null,
      externalId: null,
    });

    it('reads and sends the next block while the store inserts one, and records the blocks in message order', async () => {
      bookkeeping.backfills.set('bf-overlap', runningBackfill('bf-overlap'));
      const objects = keys('o0', 'o1', 'o2', 'o3', 'o4');
      objects.forEach((key) => put(key, 2));
      // Blocks of 4 rows: [o0] (the first block's sixteenth), [o1, o2], [o3, o4].
      const { handler: h, seen } = heldFirstInsert(4, false);
      expect(await h.handle(message(backfillNotification('bf-overlap', ...objects), 'backfill'), signal)).toBe('delete');
      expect(seen.secondSentFirst).toBe(true);
      expect(bookkeeping.handledObjects.map((o) => o.key)).toEqual(objects);
      expect(await total(objects)).toBe(10);
    });

    it('records a block once it and those before it are stored, while the next block is still being read', async () => {
      bookkeeping.backfills.set('bf-prompt', runningBackfill('bf-prompt'));
      const objects = keys('p0', 'p1', 'p2', 'p3');
      objects.forEach((key) => put(key, 2));
      // Blocks of 4 rows: [p0] (the first block's sixteenth), [p1, p2], [p3]. p2's read waits
      // until p0 is reported handled, 10 s at most.
      const handledFirst = () => bookkeeping.handledObjects.some((o) => o.key === objects[0]);
      const seen = { handledBeforeRead: false };
      s3.gates.set(objects[2], async () => {
        for (const deadline = Date.now() + 10_000; !handledFirst() && Date.now() < deadline;) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        seen.handledBeforeRead = handledFirst();
      });
      expect(await recordingHandler(4).handler.handle(message(backfillNotification('bf-prompt', ...objects), 'backfill'), signal)).toBe('delete');
      expect(seen.handledBeforeRead).toBe(true);
      expect(bookkeeping.handledObjects.map((o) => o.key)).toEqual(objects);
      expect(await total(objects)).toBe(8);
    });

    it('records nothing after a failed insert though the next block was stored, and stores every event once when the message comes back', async () => {
      bookkeeping.backfills.set('bf-failed', runningBackfill('bf-failed'));
      const objects = keys('f0', 'f1', 'f2', 'f3', 'f4');
      objects.forEach((key) => put(key, 2));
      const body = backfillNotification('bf-failed', ...objects);
      const { handler: h, seen } = heldFirstInsert(4, true);
      await expect(h.handle(message(body, 'backfill'), signal)).rejects.toThrow(/the insert failed/);
      expect(seen.secondSentFirst).toBe(true);
      expect(bookkeeping.handledObjects).toEqual([]);
      expect(await ledger(objects[1])).toBeUndefined();
      expect(await events(objects[1])).toBe(2);

      expect(await recordingHandler(4).handler.handle(message(body, 'backfill'), signal)).toBe('delete');
      expect(bookkeeping.handledObjects.map((o) => o.key)).toEqual(objects);
      expect(await total(objects)).toBe(10);
    });

    it('repeats the same blocks and tokens when the message comes back after its insert, storing every event once', async () => {
      const objects = keys('x', 'y', 'z');
      objects.forEach((key, i) => put(key, 3 + i));
      const body = notification(BUCKET, ...objects);
      const crashed = recordingHandler(1000);
      crashed.state.ledgerWrites = 0;
      await expect(crashed.handler.handle(message(body), signal)).rejects.toThrow(/the ledger is down/);
      expect(await ledger(objects[0])).toBeUndefined();

      const again = recordingHandler(1000);
      expect(await again.handler.handle(message(body), signal)).toBe('delete');
      expect(again.inserts).toEqual(crashed.inserts);
      expect(await total(objects)).toBe(12);
    });

    it('resumes a message at the block after the last one recorded, cutting the same blocks as the first attempt', async () => {
      const objects = keys('r0', 'r1', 'r2', 'r3', 'r4');
      objects.forEach((key) => put(key, 3));
      const body = notification(BUCKET, ...objects);
      // The first block (a sixteenth of 32 rows: the first object alone) is recorded; the ledger fails after the second insert.
      const crashed = recordingHandler(32);
      crashed.state.ledgerWrites = 1;
      await expect(crashed.handler.handle(message(body), signal)).rejects.toThrow(/the ledger is down/);
      expect(crashed.inserts.map((i) => i.keys)).toEqual([[objects[0]], objects.slice(1)]);
      expect(await ledger(objects[0])).toMatchObject({ status: 'ok' });
      expect(await ledger(objects[1])).toBeUndefined();

      const again = recordingHandler(32);
      expect(await again.handler.handle(message(body), signal)).toBe('delete');
      expect(again.inserts).toEqual([crashed.inserts[1]]);
      expect(await total(objects)).toBe(15);
    });

    it('stores every event once when two consumers handle the same message at the same time', async () => {
      const objects = keys('p', 'q', 'r', 's');
      objects.forEach((key) => put(key, 4));
      const body = notification(BUCKET, ...objects);
      const [one, two] = [recordingHandler(1000), recordingHandler(1000)];
      expect(await Promise.all([one.handler.handle(message(body), signal), two.handler.handle(message(body), signal)])).toEqual(['delete', 'delete']);
      expect(await total(objects)).toBe(16);
    });

    it('stores the good objects once and records the missing and the corrupt ones, then asks for the message to be deleted', async () => {
      const [good, missing, corrupt, last] = keys('good', 'missing', 'corrupt', 'last');
      put(good, 3);
      put(last, 2);
      const garbled = trail(5);
      garbled.fill(0xff, 12, 40);
      s3.objects.set(`${BUCKET}/${corrupt}`, garbled);
      expect(await handler.handle(message(notification(BUCKET, good, missing, corrupt, last)), signal)).toBe('delete');
      expect([await events(good), await events(missing), await events(corrupt), await events(last)]).toEqual([3, 0, 0, 2]);
      expect(await ledger(missing)).toMatchObject({ status: 'failed', error: expect.stringMatching(/NoSuchKey/) });
      expect(await ledger(corrupt)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^cannot decode .*corrupt/) });
    });

    it('from the second receive, sends an object that keeps failing back alone and the rest as a new message, losing nothing', async () => {
      const [a, flaky, c] = keys('a', 'flaky', 'c');
      [a, flaky, c].forEach((key) => put(key, 3));
      s3.unreachable.add(flaky);
      const body = notification(BUCKET, a, flaky, c);
      // Blocks large enough that a waits in the same block as the object that fails.
      const { handler } = recordingHandler(1000);
      expect(await handler.handle(message(body), signal)).toBe('retry');
      const split = await handler.handle({ ...message(body), receiveCount: 2 }, signal);
      if (typeof split !== 'object') {
        throw new Error(`expected a requeue, got ${split}`);
      }
      const named = split.requeue.map(({ body: b, delaySeconds }) => {
        const n = parseNotification(b);
        return { keys: n.kind === 'objects' ? n.objects.map((o) => o.key) : [], delaySeconds };
      });
      expect(named).toEqual([
        { keys: [flaky], delaySeconds: RETRY_ALONE_DELAY_SECONDS },
        { keys: [a, c], delaySeconds: undefined },
      ]);
      expect(await total([a, flaky, c])).toBe(0);

      expect(await handler.handle(message(split.requeue[1].body), signal)).toBe('delete');
      expect(await handler.handle(message(split.requeue[0].body), signal)).toBe('retry');
      s3.unreachable.delete(flaky);
      expect(await handler.handle(message(split.requeue[0].body), signal)).toBe('delete');
      expect([await events(a), await events(flaky), await events(c)]).toEqual([3, 3, 3]);
    });
  });
});
