import type { SQSClient } from '@aws-sdk/client-sqs';
import { parseNotification } from '../ingest/notifications';
import { batchesOf, Enqueuer, EnqueueError, MAX_BATCH_BYTES } from './enqueuer';
import { packPage } from './pack';
import { notALog, objectTime, selects } from './select';

describe('the messages of a listing page', () => {
  const object = {
    key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/a b+c%d.json.gz',
    size: 1234,
    etag: '9b2cf535f27731c974343645a3985328',
    lastModified: Date.UTC(2024, 4, 2, 10),
  };

  it('parse exactly like a live notification, with the backfill ID, the key decoded, size, eTag, region and LastModified', () => {
    const [body] = packPage('bf-1', 'logs', 'eu-west-1', [object]);
    expect(parseNotification(body)).toEqual({
      kind: 'objects',
      backfillId: 'bf-1',
      objects: [{ bucket: 'logs', key: object.key, size: 1234, etag: object.etag, region: 'eu-west-1', eventTime: '2024-05-02T10:00:00.000Z' }],
    });
    const envelope = JSON.parse(body) as { Type: string; MessageAttributes: Record<string, { Type: string; Value: string }> };
    expect(envelope.Type).toBe('Notification');
    expect(envelope.MessageAttributes.lookback_backfill_id).toEqual({ Type: 'String', Value: 'bf-1' });
  });

  const page = Array.from({ length: 1000 }, (_, i) => ({
    key: `AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/111122223333_CloudTrail_us-east-1_20240502T${String(i % 24).padStart(2, '0')}00Z_${i}é.json.gz`,
    size: 10_000 + i,
    etag: `etag${i}`,
    lastModified: Date.UTC(2024, 4, 2) + i * 1000,
  }));

  it('pack many objects to a message, each message within the SQS limit, every object once and in order', () => {
    const bodies = packPage('bf-1', 'logs', 'us-east-1', page);
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.length).toBeLessThan(10);
    for (const body of bodies) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(256 * 1024);
    }
    const keys = bodies.flatMap((body) => {
      const n = parseNotification(body);
      return n.kind === 'objects' ? n.objects.map((o) => o.key) : [];
    });
    expect(keys).toEqual(page.map((o) => o.key));
  });

  it('are the same bytes every time the page is packed', () => {
    const first = packPage('bf-1', 'logs', 'us-east-1', page);
    expect(
      packPage(
        'bf-1',
        'logs',
        'us-east-1',
        page.map((o) => ({ ...o }))
      )
    ).toEqual(first);
    expect(packPage('bf-2', 'logs', 'us-east-1', page)).not.toEqual(first);
  });

  it('close a message at the record or object-bytes bound, an object larger than the bound alone', () => {
    const counts = (bodies: string[]) =>
      bodies.map((body) => (JSON.parse((JSON.parse(body) as { Message: string }).Message) as { Records: unknown[] }).Records.length);
    expect(counts(packPage('bf-1', 'logs', 'us-east-1', page.slice(0, 25), { maxRecords: 10, maxObjectBytes: 1e12 }))).toEqual([10, 10, 5]);
    const sized = [5, 5, 20, 1, 1, 1].map((size, i) => ({ ...page[i], size }));
    expect(counts(packPage('bf-1', 'logs', 'us-east-1', sized, { maxRecords: 100, maxObjectBytes: 10 }))).toEqual([2, 1, 3]);
  });
});

describe('sending with SendMessageBatch', () => {
  it('groups at most 10 messages and 256 KB per call, in order', () => {
    const small = Array.from({ length: 23 }, (_, i) => `m${i}`);
    expect(batchesOf(small).map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batchesOf(small).flat()).toEqual(small);
    const big = Array.from({ length: 5 }, () => 'x'.repeat(100 * 1024));
    expect(batchesOf(big).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(() => batchesOf(['x'.repeat(MAX_BATCH_BYTES + 1)])).toThrow(EnqueueError);
  });

  it('sends again the entries SQS reports failed, and stops on a sender fault', async () => {
    const calls: string[][] = [];
    let failOnce = true;
    const sqs = {
      send: async (command: { input: { Entries: Array<{ Id: string; MessageBody: string }> } }) => {
        const entries = command.input.Entries;
        calls.push(entries.map((e) => e.MessageBody));
        if (failOnce) {
          failOnce = false;
          return { Failed: [{ Id: entries[1].Id, Code: 'InternalError', SenderFault: false }] };
        }
        return { Successful: entries.map((e) => ({ Id: e.Id })) };
      },
    } as unknown as SQSClient;
    await new Enqueuer(sqs, 'http://q').send(['a', 'b', 'c']);
    expect(calls).toEqual([['a', 'b', 'c'], ['b']]);

    const refusing = {
      send: async () => ({ Failed: [{ Id: '0', Code: 'InvalidMessageContents', SenderFault: true, Message: 'bad' }] }),
    } as unknown as SQSClient;
    await expect(new Enqueuer(refusing, 'http://q').send(['a'])).rejects.toThrow('SQS refused a backfill message for http://q: InvalidMessageContents: bad');
  });
});

describe('choosing objects', () => {
  const base = { size: 10, etag: 'e', lastModified: Date.UTC(2024, 4, 9) };
  const window = { from: Date.UTC(2024, 4, 2), to: Date.UTC(2024, 4, 3), logType: 'cloudtrail' as const };

  it('skips folder markers, empty objects and CloudTrail digests', () => {
    expect(notALog({ ...base, key: 'AWSLogs/' }, 'auto')).toBe('folder marker');
    expect(notALog({ ...base, key: 'a.json.gz', size: 0 }, 'auto')).toBe('empty object');
    expect(notALog({ ...base, key: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/02/x.json.gz' }, 'auto')).toMatch(/digest/);
    expect(notALog({ ...base, key: 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/x.json.gz' }, 'cloudtrail')).toBeUndefined();
  });

  it('files an object under the time in its key, else its LastModified', () => {
    expect(objectTime({ key: 'x/111122223333_CloudTrail_us-east-1_20240502T1005Z_abc.json.gz', lastModified: 0 })).toBe(Date.UTC(2024, 4, 2, 10, 5));
    expect(objectTime({ key: 'cf/E2ABC.2024-05-02-10.x1.gz', lastModified: 0 })).toBe(Date.UTC(2024, 4, 2, 10));
    expect(objectTime({ key: 'app/events.json', lastModified: 42 })).toBe(42);
  });

  it('takes what is inside the window and of the wanted ELB kind', () => {
    expect(selects(window, { ...base, key: 'x/111122223333_CloudTrail_us-east-1_20240502T2355Z_a.json.gz' })).toBe(true);
    expect(selects(window, { ...base, key: 'x/111122223333_CloudTrail_us-east-1_20240503T0000Z_a.json.gz' })).toBe(false);
    const elb = (name: string) => `AWSLogs/111122223333/elasticloadbalancing/us-east-1/2024/05/02/${name}`;
    const albWindow = { ...window, logType: 'alb' as const, elbKind: 'alb' as const };
    expect(selects(albWindow, { ...base, key: elb('111122223333_elasticloadbalancing_us-east-1_app.web.1_20240502T0005Z_10.0.0.1_x.log.gz') })).toBe(true);
    expect(selects(albWindow, { ...base, key: elb('111122223333_elasticloadbalancing_us-east-1_net.web.1_20240502T0005Z_x.log.gz') })).toBe(false);
  });
});
