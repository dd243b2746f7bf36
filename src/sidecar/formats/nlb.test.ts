import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nlb } from './nlb';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY =
  'AWSLogs/671290407336/elasticloadbalancing/us-east-2/2020/04/01/671290407336_elasticloadbalancing_us-east-2_net.my-network-loadbalancer.c6e77e28c25b2234_20200401T0855Z_a1b2c3d4.log.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'nlb-tls.log'));

describe('Network Load Balancer TLS logs', () => {
  it('reads version 2.0 entries with ALPN lists and zone-less times (UTC)', async () => {
    const { events, malformed } = await parseAll(nlb, chunksOf(sample, 64), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      time: Date.parse('2018-12-20T02:59:40Z'),
      eventName: 'tls',
      srcIp: '72.21.218.154',
      srcPort: 51341,
      dstIp: '172.100.100.185',
      dstPort: 443,
      outcome: 'success',
      region: 'us-east-2',
      account: '671290407336',
      bytes: 98 + 246,
    });
    expect(events[0].fields).toMatchObject({
      version: '2.0',
      listener: 'g3d4b5e8bb8464cd',
      tls_protocol_version: 'tlsv12',
      domain_name: 'my-network-loadbalancer-c6e77e28c25b2234.elb.us-east-2.amazonaws.com',
      alpn_fe_protocol: 'h2',
      alpn_client_preference_list: '"h2","http/1.1"',
      tls_connection_creation_time: '2018-12-20T02:59:38',
    });
  });

  it('reads a handshake that failed with a TLS alert as a failure', async () => {
    const { events } = await parseAll(nlb, chunksOf(sample), objectInfo(KEY));
    expect(events[2]).toMatchObject({ outcome: 'failure', status: 'UnknownCA', severity: 'warning', srcIp: '198.51.100.23' });
  });

  it('is chosen by the net. file name and recognised by its content', () => {
    expect(nlb.matchesKey(KEY)).toBe(true);
    expect(nlb.matchesKey(KEY.replace('_net.', '_app.'))).toBe(false);
    expect(nlb.sniff(sample.toString())).toBe(true);
  });
});
