import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classicElb } from './classicElb';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY =
  'AWSLogs/123456789012/elasticloadbalancing/us-west-2/2015/05/13/123456789012_elasticloadbalancing_us-west-2_my-loadbalancer_20150513T2340Z_172.160.001.192_20sg8hgm.log';
const sample = readFileSync(join(__dirname, 'testdata', 'classic-elb.log'));

describe('Classic Load Balancer logs', () => {
  it('reads HTTP, HTTPS, TCP and SSL listener entries', async () => {
    const { events, malformed } = await parseAll(classicElb, chunksOf(sample, 50), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({
      time: Date.parse('2015-05-13T23:39:43.945Z'),
      eventName: 'GET',
      srcIp: '192.168.131.39',
      srcPort: 2817,
      dstIp: '10.0.0.1',
      dstPort: 80,
      status: '200',
      outcome: 'success',
      region: 'us-west-2',
      account: '123456789012',
      userAgent: 'curl/7.38.0',
      bytes: 29,
    });
    expect(events[0].fields).toMatchObject({
      timestamp: '2015-05-13T23:39:43.945958Z',
      elb: 'my-loadbalancer',
      backend_processing_time: '0.001048',
      elb_status_code: '200',
      backend_status_code: '200',
    });
    expect(events[1].fields).toMatchObject({ ssl_cipher: 'DHE-RSA-AES128-SHA', ssl_protocol: 'TLSv1.2' });
    // TCP listener: no status, no request.
    expect(events[2]).toMatchObject({ eventName: '', status: '', outcome: 'unknown', bytes: 82 + 305 });
    expect(events[4]).toMatchObject({ status: '503', outcome: 'failure', severity: 'error', dstIp: '', userAgent: 'sqlmap/1.7' });
  });

  it('reports a bad timestamp', async () => {
    const { malformed } = await parseAll(classicElb, chunksOf('yesterday my-lb 1.2.3.4:5 - -1 -1 -1 503 0 0 0\n'), objectInfo(KEY));
    expect(malformed[0]).toMatchObject({ record: 1, reason: 'field 1 (timestamp): expected an ISO 8601 time, got "yesterday"' });
  });

  it('is chosen by a file name without app. or net. and recognised by its content', () => {
    expect(classicElb.matchesKey(KEY)).toBe(true);
    expect(classicElb.sniff(sample.toString())).toBe(true);
    expect(classicElb.sniff('http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 1.2.3.4:1 - 0 0 0')).toBe(false);
  });
});
