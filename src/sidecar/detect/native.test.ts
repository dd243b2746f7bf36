import { hitEvents } from './hits';
import { rulesFromSources } from './load';
import { DetectionStore, rowsOf } from './testing';
import type { DetectionRule } from './types';

// Native rules: a query of the pipeline language, and how its matches make hits.

const flow = (minute: number, src: string, dst: string, port: number, bytes: number, action = 'ACCEPT') => {
  const start = Date.parse('2024-03-01T10:00:00Z') / 1000 + minute * 60;
  return `2 111122223333 eni-0a1b2c3d ${src} ${dst} 44321 ${port} 6 10 ${bytes} ${start} ${start + 30} ${action} OK`;
};

const FLOWS = [
  flow(1, '10.0.1.5', '203.0.113.7', 443, 600_000_000),
  flow(2, '10.0.1.5', '203.0.113.7', 443, 700_000_000),
  flow(3, '10.0.1.6', '203.0.113.8', 443, 1_000),
  flow(4, '198.51.100.1', '10.0.1.5', 22, 60, 'REJECT'),
  flow(5, '198.51.100.1', '10.0.1.5', 23, 60, 'REJECT'),
  flow(6, '198.51.100.1', '10.0.1.5', 3389, 60, 'REJECT'),
];
const RANGE = { from: Date.parse('2024-03-01T10:00:00Z'), to: Date.parse('2024-03-01T11:00:00Z') };

function native(body: string): DetectionRule {
  const { rules, errors } = rulesFromSources([
    { file: 'native.yml', text: `title: Native\nid: native\nseverity: high\ntags: [attack.exfiltration, attack.t1048]\n${body}` },
  ]);
  expect(errors.map((e) => e.message)).toEqual([]);
  return rules[0];
}

describe('native rules', () => {
  let db: DetectionStore;

  beforeAll(async () => {
    db = await DetectionStore.open();
    await db.replace(await rowsOf('vpcflow', FLOWS));
  });
  afterAll(() => db.close());

  it('keeps what the rule says about itself and how to run it', () => {
    const rule = native('query: VPCFlow | where action == "REJECT"\nschedule: 1m\nlookback: 10m\nsuppress: 2h\n');
    expect(rule).toMatchObject({
      kind: 'native',
      severity: 'high',
      tags: ['attack.exfiltration', 'attack.t1048'],
      table: 'VPCFlow',
      scheduleMs: 60_000,
      lookbackMs: 600_000,
      suppressMs: 7_200_000,
      threshold: [{ op: 'gte', value: 1 }],
      events: 'VPCFlow | where action == "REJECT"',
    });
  });

  it('groups matches by its group-by keys and applies its threshold', async () => {
    const rule = native('query: |\n  VPCFlow\n  | where action == "REJECT" // blocked\ngroup-by: [srcaddr, dstaddr]\nthreshold: {gte: 3}\n');
    const hits = await db.hits(rule, RANGE);
    expect(hits.map((h) => [h.keys, h.count, h.firstSeen, h.lastSeen])).toEqual([
      [{ srcaddr: '198.51.100.1', dstaddr: '10.0.1.5' }, 3, '2024-03-01T10:04:00.000Z', '2024-03-01T10:06:00.000Z'],
    ]);
    const link = hitEvents(rule, hits[0]);
    expect(await db.rows(`${link.query} | project dstport`, { from: Date.parse(link.from), to: Date.parse(link.to) })).toEqual([
      { dstport: '3389' },
      { dstport: '23' },
      { dstport: '22' },
    ]);
    expect(await db.hits(native('query: VPCFlow | where action == "REJECT"\ngroup-by: [srcaddr]\nthreshold: 4\n'), RANGE)).toEqual([]);
  });

  it('may aggregate inside its query when it keeps a time column, and read the run range', async () => {
    const rule = native(
      [
        'query: |',
        '  let large = 1000000000;',
        '  VPCFlow',
        '  | where action == "ACCEPT" and not(ipv4_is_private(dstaddr)) and time > $__to - 1h',
        '  | summarize time = min(time), sent = sum(bytes) by srcaddr, dstaddr',
        '  | where sent > large',
        'group-by: [srcaddr, dstaddr]',
        '',
      ].join('\n')
    );
    expect((await db.hits(rule, RANGE)).map((h) => h.keys)).toEqual([{ srcaddr: '10.0.1.5', dstaddr: '203.0.113.7' }]);
  });

  it('an upper bound alone counts matching events, never their absence', async () => {
    const few = native('query: VPCFlow | where action == "REJECT"\nthreshold: {lt: 5}\n');
    expect((await db.hits(few, RANGE)).map((h) => h.count)).toEqual([3]);
    const none = native('query: VPCFlow | where action == "NODATA"\nthreshold: {lt: 5}\n');
    expect(await db.hits(none, RANGE)).toEqual([]);
  });

  it('can look only at the events received in a window, before the query aggregates', async () => {
    const rule = native('query: |\n  VPCFlow\n  | summarize time = min(time), n = count() by srcaddr\ngroup-by: [srcaddr]\n');
    const now = Date.now();
    const received = (from: number, to: number) => db.hits(rule, RANGE, { received: { from, to } });
    expect((await received(now - 3_600_000, now + 3_600_000)).map((h) => h.keys.srcaddr).sort()).toEqual(['10.0.1.5', '10.0.1.6', '198.51.100.1']);
    expect(await received(now + 3_600_000, now + 7_200_000)).toEqual([]);
  });

  it('names a field with characters of its own by the fields map', async () => {
    const rule = native('query: VPCFlow | where fields["log-status"] == "OK" and action == "REJECT"\ngroup-by: [log-status]\n');
    expect((await db.hits(rule, RANGE)).map((h) => [h.keys, h.count])).toEqual([[{ 'log-status': 'OK' }, 3]]);
  });
});
