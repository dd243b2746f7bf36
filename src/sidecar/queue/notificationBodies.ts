import { createHash } from 'node:crypto';
import { BACKFILL_ATTRIBUTE } from './backfillNotification';

/** One object a notification names, with what S3's ObjectCreated record says of it. */
export interface NotifiedObject {
  bucket: string;
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  region: string;
  /** The record's eventTime, in ms since the epoch. */
  time: number;
}

/** The largest message SQS takes. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Room left in a message for what the size count below does not see (it is exact, this is a margin). */
const SAFETY_BYTES = 1024;
/** Marks the envelope as ours; SNS would put the topic's ARN here. */
const TOPIC_ARN = 'arn:aws:sns:lookback:000000000000:lookback-backfill';

/** S3's ObjectCreated:Put record of an object, the key URL-encoded as S3 writes it. */
export function s3Record(object: NotifiedObject): object {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: object.region,
    eventTime: new Date(object.time).toISOString(),
    eventName: 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      bucket: { name: object.bucket, arn: `arn:aws:s3:::${object.bucket}` },
      object: { key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'), size: object.size, eTag: object.etag },
    },
  };
}

/**
 * The message body of these objects' records: an S3 event notification, wrapped for a backfill in
 * an SNS envelope whose `lookback_backfill_id` attribute names it. A pure function of its
 * arguments (the envelope's MessageId and Timestamp derive from the records), so the same objects
 * always give byte-identical bodies.
 */
export function notificationBody(objects: NotifiedObject[], backfillId: string): string {
  const message = `{"Records":[${objects.map((o) => JSON.stringify(s3Record(o))).join(',')}]}`;
  if (!backfillId) {
    return message;
  }
  const digest = createHash('sha256').update(backfillId).update('\n').update(message).digest('hex');
  return JSON.stringify({
    Type: 'Notification',
    MessageId: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`,
    TopicArn: TOPIC_ARN,
    Subject: 'Amazon S3 Notification',
    Message: message,
    Timestamp: new Date(Math.max(0, ...objects.map((o) => o.time))).toISOString(),
    SignatureVersion: '1',
    MessageAttributes: { [BACKFILL_ATTRIBUTE]: { Type: 'String', Value: backfillId } },
  });
}

/** Bounds of one packed message beyond the SQS size limit. */
export interface PackLimits {
  /** Records in one message at most. */
  maxRecords: number;
  /** Sum of the objects' sizes in one message at most (an object larger than this goes alone). */
  maxObjectBytes: number;
}

/**
 * Packs objects, in the order given, into as few message bodies as the limits allow: a message is
 * closed before the record that would take it past the SQS size limit, `maxRecords` or
 * `maxObjectBytes`. Deterministic: the same objects in the same order give the same bodies.
 */
export function packNotifications(objects: NotifiedObject[], backfillId: string, limits: PackLimits): string[] {
  return packGroups(objects, backfillId, limits).map((group) => notificationBody(group, backfillId));
}

/** The objects of each message packNotifications makes, in its order. */
export function packGroups(objects: NotifiedObject[], backfillId: string, limits: PackLimits): NotifiedObject[][] {
  const groups: NotifiedObject[][] = [];
  const overhead = Buffer.byteLength(notificationBody([], backfillId)) + SAFETY_BYTES;
  let current: NotifiedObject[] = [];
  let bytes = overhead;
  let objectBytes = 0;
  for (const object of objects) {
    // A record's share of the body: its JSON, escaped once more inside an envelope, and a comma.
    const json = JSON.stringify(s3Record(object));
    const size = Buffer.byteLength(backfillId ? JSON.stringify(json) : json) - (backfillId ? 2 : 0) + 1;
    if (overhead + size > MAX_MESSAGE_BYTES) {
      throw new Error(`the notification of s3://${object.bucket}/${object.key} does not fit in an SQS message`);
    }
    const full = current.length >= limits.maxRecords || bytes + size > MAX_MESSAGE_BYTES || objectBytes + object.size > limits.maxObjectBytes;
    if (current.length > 0 && full) {
      groups.push(current);
      current = [];
      bytes = overhead;
      objectBytes = 0;
    }
    current.push(object);
    bytes += size;
    objectBytes += object.size;
  }
  if (current.length > 0) {
    groups.push(current);
  }
  return groups;
}
