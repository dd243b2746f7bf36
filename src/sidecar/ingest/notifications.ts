import { unquoteEtag } from '../aws/etag';
import { BACKFILL_ATTRIBUTE } from '../queue/backfillNotification';

/** One S3 object named by a notification. */
export interface ObjectRef {
  bucket: string;
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  region: string;
  eventTime: string;
}

export type Notification = { kind: 'objects'; objects: ObjectRef[]; backfillId: string } | { kind: 'test' } | { kind: 'ignored'; reason: string };

export class NotificationError extends Error {}

interface S3Record {
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  eventTime?: string;
  s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number; eTag?: string } };
}

/** S3 URL-encodes keys in notifications, with `+` for a space. */
export function decodeKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new NotificationError(`${what} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads an SQS message body: a raw S3 event notification, one wrapped in an SNS envelope, or an
 * EventBridge "Object Created" event. Throws NotificationError when the body is none of those.
 */
export function parseNotification(body: string): Notification {
  const outer = parseJson(body, 'message body');
  if (typeof outer !== 'object' || outer === null) {
    throw new NotificationError('message body is not a JSON object');
  }
  const envelope = outer as Record<string, unknown>;
  if (envelope.Type === 'Notification' && typeof envelope.Message === 'string') {
    const attributes = envelope.MessageAttributes as Record<string, { Value?: string }> | undefined;
    const backfillId = attributes?.[BACKFILL_ATTRIBUTE]?.Value ?? '';
    const inner = parseNotification(envelope.Message);
    return inner.kind === 'objects' ? { ...inner, backfillId: backfillId || inner.backfillId } : inner;
  }
  if (envelope.Event === 's3:TestEvent') {
    return { kind: 'test' };
  }
  if (envelope.source === 'aws.s3' && envelope['detail-type'] !== undefined) {
    return parseEventBridge(envelope);
  }
  if (Array.isArray(envelope.Records)) {
    return parseS3Records(envelope.Records as S3Record[]);
  }
  throw new NotificationError('message is not an S3 event notification (no Records, SNS envelope or EventBridge event)');
}

function parseS3Records(records: S3Record[]): Notification {
  const objects: ObjectRef[] = [];
  let ignored = '';
  records.forEach((r, i) => {
    if (r.eventSource !== 'aws:s3') {
      ignored = `record ${i} is from ${r.eventSource ?? 'an unknown source'}, not aws:s3`;
      return;
    }
    if (!r.eventName?.startsWith('ObjectCreated:')) {
      ignored = `record ${i} is ${r.eventName ?? 'an unnamed event'}, not ObjectCreated`;
      return;
    }
    const bucket = r.s3?.bucket?.name;
    const key = r.s3?.object?.key;
    if (!bucket || key === undefined) {
      throw new NotificationError(`record ${i} has no s3.bucket.name or s3.object.key`);
    }
    objects.push({
      bucket,
      key: decodeKey(key),
      size: Number(r.s3?.object?.size ?? 0),
      etag: unquoteEtag(r.s3?.object?.eTag),
      region: r.awsRegion ?? '',
      eventTime: r.eventTime ?? '',
    });
  });
  if (objects.length === 0) {
    return { kind: 'ignored', reason: ignored || 'no records' };
  }
  return { kind: 'objects', objects, backfillId: '' };
}

function parseEventBridge(event: Record<string, unknown>): Notification {
  if (event['detail-type'] !== 'Object Created') {
    return { kind: 'ignored', reason: `EventBridge event "${String(event['detail-type'])}" is not Object Created` };
  }
  const detail = event.detail as { bucket?: { name?: string }; object?: { key?: string; size?: number; etag?: string } };
  const bucket = detail?.bucket?.name;
  const key = detail?.object?.key;
  if (!bucket || key === undefined) {
    throw new NotificationError('EventBridge event has no detail.bucket.name or detail.object.key');
  }
  return {
    kind: 'objects',
    backfillId: '',
    objects: [
      {
        bucket,
        // EventBridge keys are URL-encoded the same way as S3 notifications.
        key: decodeKey(key),
        size: Number(detail.object?.size ?? 0),
        etag: unquoteEtag(detail.object?.etag),
        region: String(event.region ?? ''),
        eventTime: String(event.time ?? ''),
      },
    ],
  };
}
