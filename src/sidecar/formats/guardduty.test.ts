import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guardduty } from './guardduty';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY = 'AWSLogs/123456789012/GuardDuty/us-east-1/2024/03/12/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b.jsonl.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'guardduty-findings.jsonl'));

describe('GuardDuty findings', () => {
  it('reads each finding with its type, severity band and the addresses of its action', async () => {
    const { events, malformed } = await parseAll(guardduty, chunksOf(sample, 256), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events.map((e) => [e.eventName, e.status, e.severity])).toEqual([
      ['Recon:EC2/PortProbeUnprotectedPort', 'Low', 'info'],
      ['UnauthorizedAccess:EC2/SSHBruteForce', 'Medium', 'warning'],
      ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 'High', 'error'],
    ]);
    expect(events[0]).toMatchObject({
      time: Date.parse('2024-03-11T10:12:50Z'),
      srcIp: '192.0.2.0',
      dstIp: '10.0.0.1',
      dstPort: 80,
      region: 'us-east-1',
      account: '123456789012',
      service: 'guardduty.amazonaws.com',
    });
    expect(events[0].fields).toMatchObject({
      id: '16afba5c5c43e07c9e3e5e2e544e95df',
      'resource.instanceDetails.instanceId': 'i-99999999',
      'service.count': '9',
      severity: '2',
    });
    expect(events[1]).toMatchObject({ srcIp: '203.0.113.99', srcPort: 48211, dstIp: '10.0.1.25', dstPort: 22 });
    expect(events[2]).toMatchObject({ actor: 'ec2-role', srcIp: '198.51.100.250', userAgent: 'aws-cli/2.15.0' });
  });

  it('reports a finding without a time', async () => {
    const { malformed } = await parseAll(guardduty, chunksOf('{"schemaVersion":"2.0","type":"X"}\n'), objectInfo(KEY));
    expect(malformed[0].reason).toBe('the finding has neither updatedAt nor createdAt');
  });

  it('is chosen by the GuardDuty folder and recognised by its content', () => {
    expect(guardduty.matchesKey(KEY)).toBe(true);
    expect(guardduty.sniff(sample.toString())).toBe(true);
  });
});
