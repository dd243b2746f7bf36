import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { LedgerEntry } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import { s3Notification } from '../emulator/notify';
import { BACKFILL_ATTRIBUTE } from '../queue/backfillNotification';
import type { QueueMessage } from '../queue/message';
import type { EncodedRow } from '../store/rowBinary';
import { decodeEvents } from '../store/rowBinaryDecode';
import type { Store } from '../store/store';
import { testBinding } from '../queue/testing';
import type { BackfillBookkeeping, MessageBackfill } from './backfills';
import type { LedgerWrite } from './batchedLedger';
import type { ObjectRef } from './notifications';

// For the tests of ingest: S3 notifications, the objects they name, and the messages that carry them.

export const BUCKET = 'logs';
export const PREFIX = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/';

/** A CloudTrail file of `n` records, gzipped as AWS writes it. */
export function trail(n: number): Buffer {
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
export class FakeS3 {
  readonly objects = new Map<string, Buffer>();
  readonly unreachable = new Set<string>();
  readonly reads: string[] = [];
  /** Awaited before the key is read. */
  readonly gates = new Map<string, () => Promise<void>>();

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
    await this.gates.get(key)?.();
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
export class FakeBookkeeping implements BackfillBookkeeping {
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

/**
 * An S3 notification naming these keys, one record each, as one message. Each object is listed
 * as `size` bytes: by default enough that a message of several starts with a small first block.
 */
export function notification(bucket: string, ...keys: string[]): string {
  return sizedNotification(bucket, 256 * 1024, keys);
}

export function sizedNotification(bucket: string, size: number, keys: string[]): string {
  const records = keys.flatMap(
    (key) => (JSON.parse(s3Notification({ bucket, key, size, etag: `etag-${key}` }, 'us-east-1')) as { Records: unknown[] }).Records
  );
  return JSON.stringify({ Records: records });
}

/** The same in an SNS envelope that names a backfill, as the lister writes it. */
export function backfillNotification(backfillId: string, ...keys: string[]): string {
  return JSON.stringify({
    Type: 'Notification',
    Message: notification(BUCKET, ...keys),
    MessageAttributes: { [BACKFILL_ATTRIBUTE]: { Type: 'String', Value: backfillId } },
  });
}

let received = 0;
/** A message with this body on the test source's live (or backfill) queue, received for the first time. */
export function message(body: string, kind: 'live' | 'backfill' = 'live'): QueueMessage {
  const binding = testBinding(kind);
  return {
    binding: { ...binding, source: { ...binding.source, bucket: BUCKET, prefix: 'AWSLogs/' } },
    id: `m-${received++}`,
    body,
    receiveCount: 1,
    attributes: {},
  };
}

/**
 * The store with its event inserts recorded (token and keys of each), and its ledger writes failing
 * once `state.ledgerWrites` have been made (as if the sidecar died between an insert and its ledger rows).
 */
export function recordingStore<S extends Store>(store: S) {
  const inserts: Array<{ token: string; keys: string[] }> = [];
  const state = { ledgerWrites: Infinity };
  const recording = Object.assign(Object.create(store) as S, {
    insertEncodedEvents: async (rows: EncodedRow[], token: string) => {
      inserts.push({ token, keys: [...new Set(decodeEvents(rows).map((r) => r.key))] });
      await store.insertEncodedEvents(rows, token);
    },
    recordObjects: async (entries: LedgerWrite[]) => {
      if (state.ledgerWrites-- <= 0) {
        throw new Error('the ledger is down');
      }
      await store.recordObjects(entries);
    },
  });
  return { store: recording, inserts, state };
}
