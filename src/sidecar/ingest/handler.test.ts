import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { LedgerEntry } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import { s3Notification } from '../emulator/notify';
import { createLogger } from '../log';
import { openTestStore, type TestStore } from '../query/testing';
import { BACKFILL_ATTRIBUTE } from '../queue/backfillNotification';
import type { QueueMessage } from '../queue/message';
import { testBinding } from '../queue/testing';
import type { BackfillBookkeeping, MessageBackfill } from './backfills';
import { BatchedLedger } from './batchedLedger';
import { NotificationHandler } from './handler';
import type { ObjectRef } from './notifications';

const BUCKET = 'logs';
const PREFIX = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/';
const log = createLogger('silent');

/** A CloudTrail file of `n` records, gzipped as AWS writes it. */
function trail(n: number): Buffer {
  const records = Array.from({ length: n }, (_, i) => ({
    eventVersion: '1.08',
    eventTime: `2024-05-01T10:0${i}:00Z`,
    eventSource: 'iam.amazonaws.com',
    eventName: `Call${i}`,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.1',
    userIdentity: { type: 'IAMUser', userName: 'alice' },
  }));
  return gzipSync(JSON.stringify({ Records: records }));
}

/**
 * For this test: S3 as the handler reads it. Objects in memory; a key in `unreachable` fails like
 * a reset connection (worth another try), any other unknown key answers NoSuchKey.
 */
class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly unreachable = new Set<string>();
  readonly reads: string[] = [];

  clients(): AwsClients {
    const s3 = { send: (command: { input: { Bucket: string; Key: string } }) => this.get(command.input.Bucket, command.input.Key) } as unknown as S3Client;
    return {
      s3: () => s3,
      sqs: () => {
        throw new Error('the handler never calls SQS');
      },
    };
  }

  private async get(bucket: string, key: string): Promise<unknown> {
    this.reads.push(key);
    if (this.unreachable.has(key)) {
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    }
    const body = this.objects.get(`${bucket}/${key}`);
    if (!body) {
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    }
    return { Body: Readable.from([body]), ETag: `"etag-${key}"`, ContentLength: body.length, LastModified: new Date('2024-05-01T11:00:00Z') };
  }
}

/** For this test: the backfill bookkeeping ingest asks, recording what it is told. */
class FakeBookkeeping implements BackfillBookkeeping {
  readonly backfills = new Map<string, MessageBackfill>();
  readonly handledObjects: Array<{ backfillId: string; key: string; status: string; duplicate: boolean }> = [];
  readonly cancelledObjects: Array<{ backfillId: string; keys: string[] }> = [];

  constructor(private readonly aws: AwsClients) {}

  async backfill(id: string): Promise<MessageBackfill | undefined> {
    return this.backfills.get(id);
  }

  awsFor(): AwsClients {
    return this.aws;
  }

  async handled(backfillId: string, object: { entry: LedgerEntry; duplicate: boolean }): Promise<void> {
    this.handledObjects.push({ backfillId, key: object.entry.key, status: object.entry.status, duplicate: object.duplicate });
  }

  async cancelled(backfillId: string, objects: ObjectRef[]): Promise<void> {
    this.cancelledObjects.push({ backfillId, keys: objects.map((o) => o.key) });
  }
}

/** An S3 notification naming these keys, one record each, as one message. */
function notification(bucket: string, ...keys: string[]): string {
  const records = keys.flatMap(
    (key) => (JSON.parse(s3Notification({ bucket, key, size: 100, etag: `etag-${key}` }, 'us-east-1')) as { Records: unknown[] }).Records
  );
  return JSON.stringify({ Records: records });
}

/** The same in an SNS envelope that names a backfill, as the lister writes it. */
function backfillNotification(backfillId: string, ...keys: string[]): string {
  return JSON.stringify({
    Type: 'Notification',
    Message: notification(BUCKET, ...keys),
    MessageAttributes: { [BACKFILL_ATTRIBUTE]: { Type: 'String', Value: backfillId } },
  });
}

let received = 0;
function message(body: string, kind: 'live' | 'backfill' = 'live'): QueueMessage {
  const binding = testBinding(kind);
  return {
    binding: { ...binding, source: { ...binding.source, bucket: BUCKET, prefix: 'AWSLogs/' } },
    id: `m-${received++}`,
    body,
    receiveCount: 1,
    attributes: {},
  };
}

describe('the notification handler', () => {
  let db: TestStore;
  let s3: FakeS3;
  let bookkeeping: FakeBookkeeping;
  let handler: NotificationHandler;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    db = await openTestStore(false);
  });
  afterAll(() => db.close());

  beforeEach(() => {
    s3 = new FakeS3();
    bookkeeping = new FakeBookkeeping(s3.clients());
    handler = new NotificationHandler({
      store: db.store,
      ledger: new BatchedLedger(db.store),
      backfills: bookkeeping,
      log,
      ingest: { insertBatchRows: 2, maxObjectBytes: 1 << 20, maxObjectRecords: 1000 },
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
      { backfillId: 'bf-1', key: fresh, status: 'ok', duplicate: false },
      { backfillId: 'bf-1', key: known, status: 'ok', duplicate: true },
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
});
