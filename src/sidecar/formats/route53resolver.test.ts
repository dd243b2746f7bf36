import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunksOf, objectInfo, parseAll } from './parseAll';
import { route53resolver } from './route53resolver';

const KEY =
  'AWSLogs/111122223333/vpcdnsquerylogs/vpc-00000000000000000/2021/02/04/vpc-00000000000000000_vpcdnsquerylogs_111122223333_20210204T1755Z_0a1b2c3d.log.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'route53-resolver.log'));

describe('Route 53 Resolver query logs', () => {
  it('reads who asked what and the answer code', async () => {
    const { events, malformed } = await parseAll(route53resolver, chunksOf(sample, 100), objectInfo(KEY));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      time: Date.parse('2021-02-04T17:51:55Z'),
      eventName: 'A',
      actor: 'i-0d15cd0d3EXAMPLE',
      srcIp: '192.0.2.10',
      srcPort: 59217,
      status: 'NOERROR',
      outcome: 'success',
      region: 'us-east-1',
      account: '111122223333',
      service: 'route53resolver.amazonaws.com',
    });
    expect(events[0].fields).toMatchObject({
      query_name: 'aws.amazon.com.',
      query_class: 'IN',
      transport: 'UDP',
      vpc_id: 'vpc-00000000000000000',
      'srcids.instance': 'i-0d15cd0d3EXAMPLE',
    });
    expect(JSON.parse(events[0].fields.answers)).toEqual([{ Rdata: '203.0.113.5', Type: 'A', Class: 'IN' }]);
    expect(events[1]).toMatchObject({ actor: 'rslvr-in-0123456789abcdef0', status: 'NXDOMAIN', outcome: 'failure', severity: 'info' });
    expect(events[2]).toMatchObject({ severity: 'warning' });
    expect(events[2].fields).toMatchObject({ firewall_rule_action: 'BLOCK', firewall_domain_list_id: 'rslvr-fdl-0123456789abcdef' });
    expect(malformed.map((m) => [m.record, m.reason])).toEqual([[4, 'the record has no query_timestamp']]);
  });

  it('is chosen by the vpcdnsquerylogs folder and recognised by its content', () => {
    expect(route53resolver.matchesKey(KEY)).toBe(true);
    expect(route53resolver.sniff(sample.toString())).toBe(true);
  });
});
