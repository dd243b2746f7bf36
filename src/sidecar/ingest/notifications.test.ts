import { s3Notification } from '../emulator/notify';
import { NotificationError, parseNotification } from './notifications';

const object = { bucket: 'logs', key: 'AWSLogs/1/CloudTrail/us-east-1/2026/01/01/a b+c%.json.gz', size: 42, etag: '"0123abcd"' };

describe('parseNotification', () => {
  it('reads a raw S3 event notification and decodes the key', () => {
    const n = parseNotification(s3Notification(object, 'us-east-1', new Date('2026-01-01T00:00:00Z')));
    expect(n).toEqual({
      kind: 'objects',
      backfillId: '',
      objects: [{ ...object, etag: '0123abcd', region: 'us-east-1', eventTime: '2026-01-01T00:00:00.000Z' }],
    });
  });

  it('reads a notification in an SNS envelope, with the backfill id attribute', () => {
    const envelope = {
      Type: 'Notification',
      MessageId: 'm1',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: s3Notification(object, 'us-east-1'),
      MessageAttributes: { lookback_backfill_id: { Type: 'String', Value: 'bf-1' } },
    };
    const n = parseNotification(JSON.stringify(envelope));
    expect(n.kind === 'objects' && n.backfillId).toBe('bf-1');
    expect(n.kind === 'objects' && n.objects[0].key).toBe(object.key);
  });

  it('reads an EventBridge Object Created event', () => {
    const event = {
      version: '0',
      source: 'aws.s3',
      'detail-type': 'Object Created',
      region: 'eu-west-1',
      time: '2026-01-01T00:00:00Z',
      detail: { bucket: { name: 'logs' }, object: { key: 'a+b.log', size: 7, etag: 'e1' } },
    };
    expect(parseNotification(JSON.stringify(event))).toEqual({
      kind: 'objects',
      backfillId: '',
      objects: [{ bucket: 'logs', key: 'a b.log', size: 7, etag: 'e1', region: 'eu-west-1', eventTime: '2026-01-01T00:00:00Z' }],
    });
  });

  it('recognises the s3:TestEvent and events that are not object creations', () => {
    expect(parseNotification(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'logs' }))).toEqual({ kind: 'test' });
    const removed = JSON.parse(s3Notification(object, 'us-east-1'));
    removed.Records[0].eventName = 'ObjectRemoved:Delete';
    expect(parseNotification(JSON.stringify(removed))).toEqual({ kind: 'ignored', reason: 'record 0 is ObjectRemoved:Delete, not ObjectCreated' });
  });

  it.each([
    ['not json', /message body is not JSON/],
    ['42', /not a JSON object/],
    ['{"hello":"world"}', /not an S3 event notification/],
    ['{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{}}]}', /record 0 has no s3.bucket.name/],
    ['{"Type":"Notification","Message":"oops"}', /message body is not JSON/],
  ])('rejects %s with a clear reason', (body, reason) => {
    expect(() => parseNotification(body)).toThrow(NotificationError);
    expect(() => parseNotification(body)).toThrow(reason);
  });
});
