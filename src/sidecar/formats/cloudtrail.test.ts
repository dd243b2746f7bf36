import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudtrail } from './cloudtrail';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY = 'AWSLogs/123456789012/CloudTrail/us-east-2/2023/07/19/123456789012_CloudTrail_us-east-2_20230719T2120Z_EXAMPLE.json.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'cloudtrail-mixed.json'));

describe('CloudTrail', () => {
  it('reads management, data and Insights events from a Records document', async () => {
    const { events, malformed } = await parseAll(cloudtrail, chunksOf(sample, 97), objectInfo(KEY));
    expect(events.map((e) => [e.eventName, e.actor, e.outcome, e.status, e.severity ?? ''])).toEqual([
      ['StartInstances', 'arn:aws:iam::123456789012:user/Alice', 'success', 'Success', ''],
      ['GetObject', 'arn:aws:sts::123456789012:assumed-role/reader/session', 'success', 'Success', ''],
      ['AssumeRole', 'lambda.amazonaws.com', 'failure', 'AccessDenied', ''],
      ['RunInstances', '', 'unknown', 'Start', 'warning'],
    ]);
    expect(events[0]).toMatchObject({
      time: Date.parse('2023-07-19T21:17:28Z'),
      srcIp: '192.0.2.0',
      region: 'us-east-2',
      account: '123456789012',
      service: 'ec2.amazonaws.com',
    });
    expect(events[0].fields).toMatchObject({ readOnly: 'false', eventCategory: 'Management', 'userIdentity.userName': 'Alice' });
    expect(events[1].fields).toMatchObject({
      readOnly: 'true',
      eventCategory: 'Data',
      managementEvent: 'false',
      'requestParameters.bucketName': 'finance-reports',
      'userIdentity.sessionContext.sessionIssuer.arn': 'arn:aws:iam::123456789012:role/reader',
    });
    // A service name in sourceIPAddress is not an address.
    expect(events[2].srcIp).toBe('');
    expect(events[3]).toMatchObject({ service: 'ec2.amazonaws.com', account: '123456789012' });
    expect(events[3].fields['insightDetails.insightType']).toBe('ApiCallRateInsight');
    expect(malformed.map((m) => [m.record, m.reason])).toEqual([
      [5, 'the record has no eventTime'],
      [6, 'not a JSON record: an array element that is not an object'],
    ]);
  });

  it('reads a console sign-in failure from responseElements', async () => {
    const line =
      '{"eventVersion":"1.05","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","accountId":"123456789012","userName":"Bob"},"eventTime":"2023-07-19T21:21:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.77","userAgent":"Mozilla/5.0","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"},"eventType":"AwsConsoleSignIn","recipientAccountId":"123456789012"}\n';
    const { events } = await parseAll(cloudtrail, chunksOf(line), objectInfo(KEY));
    expect(events[0]).toMatchObject({ eventName: 'ConsoleLogin', actor: 'Bob', outcome: 'failure', status: 'Failure', srcIp: '203.0.113.77' });
  });

  it('is chosen by its key layouts, skips digests and recognises records by content', () => {
    expect(cloudtrail.matchesKey(KEY)).toBe(true);
    expect(cloudtrail.matchesKey(KEY.replace('/CloudTrail/', '/CloudTrail-Insight/'))).toBe(true);
    expect(cloudtrail.matchesKey('AWSLogs/o-abc123def4/123456789012/CloudTrail/us-east-2/2023/07/19/x.json.gz')).toBe(true);
    expect(cloudtrail.skipReason?.(KEY.replace('/CloudTrail/', '/CloudTrail-Digest/'))).toBe('CloudTrail digest file (integrity hashes, no events)');
    expect(cloudtrail.skipReason?.(KEY)).toBeUndefined();
    expect(cloudtrail.sniff(sample.toString())).toBe(true);
  });
});
