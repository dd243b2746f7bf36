import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunksOf, objectInfo, parseAll } from './parseAll';
import { vpcflow } from './vpcflow';
import { parseFlowFormat } from './vpcflowFields';

const KEY = 'AWSLogs/123456789012/vpcflowlogs/ap-southeast-2/2021/03/26/123456789012_vpcflowlogs_ap-southeast-2_fl-1234abcd_20210326T0330Z_a1b2c3d4.log.gz';
const read = (name: string) => readFileSync(join(__dirname, 'testdata', name));

describe('VPC flow logs', () => {
  it('reads a version 5 custom format by its header line (gateway endpoint traffic to S3)', async () => {
    const { events, malformed } = await parseAll(vpcflow, chunksOf(read('vpcflow-v5.log'), 40), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      time: 1616729292000,
      eventName: 'ACCEPT',
      srcIp: '52.95.128.179',
      srcPort: 80,
      dstIp: '10.0.0.71',
      dstPort: 34210,
      outcome: 'success',
      status: 'OK',
      region: 'ap-southeast-2',
      account: '123456789012',
      service: 'vpc-flow-logs.amazonaws.com',
      bytes: 15044,
    });
    expect(events[0].fields).toMatchObject({
      'pkt-src-aws-service': 'S3',
      'flow-direction': 'ingress',
      'az-id': 'apse2-az3',
      'tcp-flags': '19',
      'traffic-path': '-',
    });
    expect(events[1].fields).toMatchObject({ 'pkt-dst-aws-service': 'S3', 'traffic-path': '8', 'flow-direction': 'egress' });
    expect(events[2]).toMatchObject({ time: 1616729400000, eventName: '', status: 'NODATA', outcome: 'unknown', srcIp: '', srcPort: null, bytes: null });
  });

  it('reads version 7 ECS fields', async () => {
    const { events, malformed } = await parseAll(vpcflow, chunksOf(read('vpcflow-v7-ecs.log')), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events[0].fields).toMatchObject({
      version: '7',
      'ecs-cluster-name': 'payments',
      'ecs-service-name': 'checkout',
      'ecs-task-id': '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      'ecs-second-container-id': '-',
    });
    expect(events[0]).toMatchObject({ time: 1700000000000, dstPort: 443, account: '123456789012' });
  });

  it('reads version 8 rejects with their reason, and reports records that do not fit the header', async () => {
    const { events, malformed } = await parseAll(vpcflow, chunksOf(read('vpcflow-v8-reject.log'), 17), objectInfo(KEY));
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ eventName: 'REJECT', outcome: 'failure', severity: 'warning', srcIp: '198.51.100.77', dstPort: 22 });
    expect(events[0].fields).toMatchObject({ 'reject-reason': 'BPA', 'encryption-status': '0' });
    expect(malformed.map((m) => [m.record, m.reason])).toEqual([
      [4, 'field start: expected Unix seconds, got "notatime"'],
      [5, 'expected 17 space-separated fields as the header line lists (version account-id interface-id …), found 9'],
    ]);
  });

  it('reads the default version-2 order when there is no header, with CRLF endings and no final newline', async () => {
    const text = read('vpcflow-crlf-no-final-newline.log');
    const withHeader = await parseAll(vpcflow, chunksOf(text, 9), objectInfo(KEY));
    const withoutHeader = await parseAll(vpcflow, chunksOf(text.subarray(text.indexOf('\n') + 1), 9), objectInfo(KEY));
    for (const { events, malformed } of [withHeader, withoutHeader]) {
      expect(malformed).toEqual([]);
      expect(events.map((e) => [e.eventName, e.status, e.time])).toEqual([
        ['REJECT', 'OK', 1418530010000],
        ['', 'NODATA', 1431280876000],
        ['', 'SKIPDATA', 1431280876000],
      ]);
      expect(events[0].raw).toBe('2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK');
    }
  });

  it('takes the time from the object key when the custom format has no start or end', async () => {
    const text = 'instance-id interface-id srcaddr dstaddr\ni-0123 eni-1 10.0.0.1 10.0.0.2\n';
    const { events } = await parseAll(vpcflow, chunksOf(text), objectInfo(KEY));
    expect(events[0].time).toBe(Date.UTC(2021, 2, 26, 3, 30));
    expect(events[0].fields).toEqual({ 'instance-id': 'i-0123', 'interface-id': 'eni-1', srcaddr: '10.0.0.1', dstaddr: '10.0.0.2' });
  });

  it('reports a line that is not a flow record at all', async () => {
    const { events, malformed } = await parseAll(vpcflow, chunksOf('Phony unsupported log format.\n'), objectInfo(KEY));
    expect(events).toEqual([]);
    expect(malformed).toEqual([
      {
        record: 1,
        reason:
          'expected the 14 space-separated fields of the default version-2 format (there is no header line; a source with a custom format declares it in vpcFlowFormat), found 4',
        sample: 'Phony unsupported log format.',
      },
    ]);
  });

  // A transit gateway's custom format (17 fields), written without a header line.
  const TRANSIT =
    '${version} ${interface-id} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}';
  const TRANSIT_LINE =
    '3 eni-0a1b2c3d4e5f60718 123456789012 vpc-0a1b2c3d4e5f60718 subnet-0a1b2c3d4e5f60718 i-0a1b2c3d4e5f60718 10.1.2.3 10.9.8.7 51000 443 6 2 IPv4 10.1.2.3 10.9.8.7 ACCEPT OK\n';

  it('reads a custom format without a header line by the fields the source declares', async () => {
    const format = parseFlowFormat(TRANSIT);
    if ('error' in format) {
      throw new Error(format.error);
    }
    const { events, malformed } = await parseAll(vpcflow, chunksOf(TRANSIT_LINE.repeat(2)), { ...objectInfo(KEY), vpcFlowFields: format.fields });
    expect(malformed).toEqual([]);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      time: Date.UTC(2021, 2, 26, 3, 30),
      srcIp: '10.1.2.3',
      dstIp: '10.9.8.7',
      srcPort: 51000,
      dstPort: 443,
      eventName: 'ACCEPT',
      account: '123456789012',
    });
    expect(events[0].fields).toMatchObject({ 'vpc-id': 'vpc-0a1b2c3d4e5f60718', 'tcp-flags': '2', type: 'IPv4', 'pkt-dstaddr': '10.9.8.7' });

    const undeclared = await parseAll(vpcflow, chunksOf(TRANSIT_LINE), objectInfo(KEY));
    expect(undeclared.events).toEqual([]);
    expect(undeclared.malformed[0].reason).toMatch(/default version-2 format .*vpcFlowFormat\), found 17/);
    const wrong = await parseAll(vpcflow, chunksOf('3 eni-1 ACCEPT\n'), { ...objectInfo(KEY), vpcFlowFields: format.fields });
    expect(wrong.malformed[0].reason).toBe(
      "expected the 17 space-separated fields of the source's vpcFlowFormat (version interface-id account-id …; there is no header line), found 3"
    );
  });

  it('still lets a header line win over the declared fields', async () => {
    const { events } = await parseAll(vpcflow, chunksOf(read('vpcflow-v5.log')), { ...objectInfo(KEY), vpcFlowFields: ['srcaddr', 'dstaddr'] });
    expect(events).toHaveLength(3);
  });

  it('checks a declared format: known fields, each once; ${} and _ spellings accepted', () => {
    expect(parseFlowFormat('version account_id ${srcaddr}')).toEqual({ fields: ['version', 'account-id', 'srcaddr'] });
    expect(parseFlowFormat('version srcaddr colour')).toEqual({
      error: expect.stringMatching(/^"colour" is not a VPC flow log field \(known: version account-id /),
    });
    expect(parseFlowFormat('srcaddr dstaddr srcaddr')).toEqual({ error: 'names "srcaddr" more than once' });
    expect(parseFlowFormat('  ')).toEqual({ error: 'names no field' });
  });

  it('is chosen by its key layouts and recognised by a header or a default-format line', () => {
    expect(vpcflow.matchesKey(KEY)).toBe(true);
    expect(vpcflow.matchesKey('AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=01/day=01/x.log.parquet')).toBe(
      true
    );
    expect(vpcflow.matchesKey('AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/x.json.gz')).toBe(false);
    expect(vpcflow.sniff(read('vpcflow-v5.log').toString())).toBe(true);
    expect(vpcflow.sniff('2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK\n')).toBe(true);
    expect(vpcflow.sniff('Phony unsupported log format.')).toBe(false);
  });
});
