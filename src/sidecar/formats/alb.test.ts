import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alb } from './alb';
import { elbLogKind } from '../keys/elbKeys';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY =
  'AWSLogs/123456789012/elasticloadbalancing/us-east-2/2018/07/02/123456789012_elasticloadbalancing_us-east-2_app.my-loadbalancer.50dc6c495c0c9188_20180702T2225Z_10.0.0.1_2et2e1mx.log.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'alb-access.log'));

describe('ALB access logs', () => {
  it('reads every documented field under its AWS name and fills the common columns', async () => {
    const { events, malformed } = await parseAll(alb, chunksOf(sample, 100), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events).toHaveLength(5);
    const [first] = events;
    expect(first).toMatchObject({
      time: Date.parse('2018-07-02T22:23:00.186Z'),
      eventName: 'GET',
      srcIp: '192.168.131.39',
      srcPort: 2817,
      dstIp: '10.0.0.1',
      dstPort: 80,
      status: '200',
      outcome: 'success',
      severity: 'info',
      region: 'us-east-2',
      account: '123456789012',
      service: 'elasticloadbalancing.amazonaws.com',
      userAgent: 'curl/7.46.0',
      bytes: 34 + 366,
    });
    expect(first.fields).toMatchObject({
      type: 'http',
      elb: 'app/my-loadbalancer/50dc6c495c0c9188',
      'client:port': '192.168.131.39:2817',
      client_ip: '192.168.131.39',
      client_port: '2817',
      target_ip: '10.0.0.1',
      elb_status_code: '200',
      received_bytes: '34',
      request: 'GET http://www.example.com:80/ HTTP/1.1',
      request_verb: 'GET',
      request_url: 'http://www.example.com:80/',
      trace_id: 'Root=1-58337262-36d228ad5d99923122bbe354',
      'target:port_list': '10.0.0.1:80',
      conn_trace_id: 'TID_1234abcd5678ef90',
    });
    expect(first.raw).toBe(sample.toString().split('\n')[0]);
  });

  it('reads Lambda errors without a target as failures', async () => {
    const { events } = await parseAll(alb, chunksOf(sample), objectInfo(KEY));
    expect(events[3]).toMatchObject({ status: '502', outcome: 'failure', severity: 'error', dstIp: '', dstPort: null });
    expect(events[3].fields.error_reason).toBe('LambdaInvalidResponse');
  });

  it('reads IPv6 clients, escaped quotes, the 2024 transform fields and unknown trailing fields', async () => {
    const { events } = await parseAll(alb, chunksOf(sample), objectInfo(KEY));
    const last = events[4];
    expect(last).toMatchObject({
      srcIp: '2001:db8:85a3::8a2e:370:7334',
      srcPort: 51234,
      status: '403',
      outcome: 'failure',
      severity: 'warning',
      eventName: 'POST',
    });
    expect(last.userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64) "quoted" agent');
    expect(last.fields).toMatchObject({
      classification: 'Ambiguous',
      classification_reason: 'UndefinedContentLengthSemantics',
      transformed_host: 'api.internal.example.com',
      transformed_uri: '/v2/login',
      request_transform_status: 'TransformSuccess',
      field_34: '10.0.0.17',
    });
  });

  it('still reads a line where AWS left out the space after a quoted field', async () => {
    const line =
      'wss 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:44244 10.0.0.171:8010 0.000 0.001 0.000 101 101 218 786 "GET https://10.0.0.30:443/ HTTP/1.1" "-" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-"1 2018-07-02T22:22:48.364000Z "forward" "-" "-"\n';
    const { events, malformed } = await parseAll(alb, chunksOf(line), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events[0].fields).toMatchObject({ chosen_cert_arn: '-', matched_rule_priority: '1', actions_executed: 'forward' });
  });

  it('reports malformed lines with their line number and which field is wrong', async () => {
    const text = [
      'http not-a-time app/x/y 1.2.3.4:5 - 0 0 0 200 200 1 1 "GET / HTTP/1.1"',
      'http 2018-07-02T22:23:00Z app/x/y',
      'http 2018-07-02T22:23:00Z app/x/y 1.2.3.4:5 - 0 0 0 200 200 1 1 "GET / HTTP/1.1',
    ].join('\n');
    const { events, malformed } = await parseAll(alb, chunksOf(text), objectInfo(KEY));
    expect(events).toEqual([]);
    expect(malformed.map((m) => [m.record, m.reason])).toEqual([
      [1, 'field 2 (time): expected an ISO 8601 time, got "not-a-time"'],
      [2, 'expected at least 13 space-separated fields (type … "request") in an ALB access log entry, found 3'],
      [3, 'value 13 opens a quote at column 65 that is never closed'],
    ]);
    expect(malformed[1].sample).toBe('http 2018-07-02T22:23:00Z app/x/y');
  });

  it('is chosen by the app. file name and recognised by its content', () => {
    expect(alb.matchesKey(KEY)).toBe(true);
    expect(alb.matchesKey(KEY.replace('_app.', '_net.'))).toBe(false);
    expect(alb.matchesKey(KEY.replace('/123456789012_elasticloadbalancing', '/conn_log_123456789012_elasticloadbalancing'))).toBe(false);
    expect(alb.sniff(sample.toString())).toBe(true);
    expect(alb.sniff('2019-10-14T12:00:20.694172Z my-elb 1.2.3.4:5 -')).toBe(false);
  });
});

describe('elbLogKind', () => {
  it.each([
    ['123456789012_elasticloadbalancing_us-east-2_app.lb.50dc6c495c0c9188_20180702T2225Z_10.0.0.1_x.log.gz', 'alb'],
    ['conn_log_123456789012_elasticloadbalancing_us-east-2_app.lb.50dc6c495c0c9188_20180702T2225Z_10.0.0.1_x.log.gz', 'alb_connection'],
    ['conn_log.123456789012_elasticloadbalancing_us-east-2_app.lb.50dc6c495c0c9188_20180702T2225Z_10.0.0.1_x.log.gz', 'alb_connection'],
    ['123456789012_elasticloadbalancing_us-east-2_net.nlb.c6e77e28c25b2234_20181220T0300Z_x.log.gz', 'nlb'],
    ['123456789012_elasticloadbalancing_eu-central-1_my-classic-elb_20191014T1205Z_10.0.1.185_x.log', 'elb'],
    ['123456789012_CloudTrail_us-east-2_20191002T2215Z_x.json.gz', undefined],
  ])('%s is %s', (file, kind) => {
    expect(elbLogKind(`AWSLogs/123456789012/elasticloadbalancing/us-east-2/2018/07/02/${file}`)).toBe(kind);
  });
});
