import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunksOf, objectInfo, parseAll } from './parseAll';
import { s3access, S3_ACCESS_FIELDS } from './s3access';

const sample = readFileSync(join(__dirname, 'testdata', 's3-server-access.log'));
const SIMPLE_KEY = 'logs/2019-02-06-00-05-12-1A2B3C4D5E6F7A8B';
const PARTITIONED_KEY = 'logs/123456789012/us-west-1/DOC-EXAMPLE-BUCKET1/2019/02/06/2019-02-06-00-00-00-1A2B3C4D5E6F7A8B';

describe('S3 server access logs', () => {
  it('reads every documented field, bracketed times with their offset and quoted values', async () => {
    const { events, malformed } = await parseAll(s3access, chunksOf(sample, 77), objectInfo(SIMPLE_KEY));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      time: Date.parse('2019-02-06T00:00:38Z'),
      eventName: 'REST.GET.VERSIONING',
      actor: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      srcIp: '192.0.2.3',
      status: '200',
      outcome: 'success',
      service: 's3.amazonaws.com',
      userAgent: 'S3Console/0.4',
      bytes: 113,
      region: '',
    });
    expect(Object.keys(events[0].fields)).toEqual(S3_ACCESS_FIELDS.slice(0, 26));
    expect(events[0].fields).toMatchObject({
      bucket: 'DOC-EXAMPLE-BUCKET1',
      time: '06/Feb/2019:00:00:38 +0000',
      request_uri: 'GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1',
      signature_version: 'SigV4',
      host_header: 'DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com',
      access_point_arn: 'arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP',
      acl_required: 'Yes',
    });
    expect(events[2]).toMatchObject({
      time: Date.parse('2019-02-06T07:01:57Z'),
      actor: '',
      status: 'AccessDenied',
      outcome: 'failure',
      severity: 'warning',
      userAgent: 'curl/8.4.0',
    });
    expect(events[2].fields).toMatchObject({ key: 'secrets/prod.env', error_code: 'AccessDenied', source_region: 'eu-west-1' });
    expect(malformed).toEqual([
      {
        record: 4,
        reason: 'field 3 (time): expected [dd/Mon/yyyy:HH:mm:ss +zzzz], got "[06/Feb/2019 00:02:10]"',
        sample: expect.stringContaining('DOC-EXAMPLE-BUCKET1'),
      },
    ]);
  });

  it('takes account and region from the partitioned key layout', async () => {
    const { events } = await parseAll(s3access, chunksOf(sample), objectInfo(PARTITIONED_KEY));
    expect(events[0]).toMatchObject({ account: '123456789012', region: 'us-west-1' });
  });

  it('is chosen by both key layouts and recognised by its content', () => {
    expect(s3access.matchesKey(SIMPLE_KEY)).toBe(true);
    expect(s3access.matchesKey(PARTITIONED_KEY)).toBe(true);
    expect(s3access.matchesKey('logs/2019-02-06-00-05-12-notarandomid')).toBe(false);
    expect(s3access.sniff(sample.toString())).toBe(true);
  });
});
