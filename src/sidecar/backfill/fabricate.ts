import { randomUUID } from 'node:crypto';
import { s3Notification } from '../emulator/notify';
import { BACKFILL_ATTRIBUTE } from '../queue/backfillNotification';
import type { ListedObject } from './select';

/** Marks the envelope as ours; SNS would put the topic's ARN here. */
const TOPIC_ARN = 'arn:aws:sns:lookback:000000000000:lookback-backfill';

/**
 * The message live ingest would get for this object: S3's ObjectCreated notification (key
 * URL-encoded, eTag, size, region, event time = LastModified) in an SNS envelope whose
 * `lookback_backfill_id` message attribute names the backfill.
 */
export function fabricateNotification(backfillId: string, bucket: string, region: string, object: ListedObject): string {
  const message = s3Notification({ bucket, key: object.key, size: object.size, etag: object.etag }, region, new Date(object.lastModified));
  return JSON.stringify({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: TOPIC_ARN,
    Subject: 'Amazon S3 Notification',
    Message: message,
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    MessageAttributes: { [BACKFILL_ATTRIBUTE]: { Type: 'String', Value: backfillId } },
  });
}
