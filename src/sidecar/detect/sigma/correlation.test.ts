import { hitEvents } from '../hits';
import { rulesFromSources } from '../load';
import { runRange } from '../run';
import { DetectionStore, rowsOf } from '../testing';
import type { DetectionRule } from '../types';

// Console sign-ins (failed and successful) and downloads, as CloudTrail records, and Sigma
// correlations over them. Times are minutes after 10:00; 10-minute windows start at 10:00, 10:10.

let n = 0;
function event(minute: number, user: string, kind: 'fail' | 'ok' | 'get', extra: Record<string, unknown> = {}) {
  const time = new Date(Date.parse('2024-03-01T10:00:00Z') + minute * 60_000).toISOString().replace('.000', '');
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', userName: user, arn: `arn:aws:iam::111122223333:user/${user}`, accountId: '111122223333' },
    eventTime: time,
    eventSource: kind === 'get' ? 's3.amazonaws.com' : 'signin.amazonaws.com',
    eventName: kind === 'get' ? 'GetObject' : 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.1',
    userAgent: 'Mozilla/5.0',
    requestParameters: null,
    responseElements: kind === 'get' ? null : { ConsoleLogin: kind === 'ok' ? 'Success' : 'Failure' },
    eventID: `ev-${++n}`,
    eventType: kind === 'get' ? 'AwsApiCall' : 'AwsConsoleSignIn',
    recipientAccountId: '111122223333',
    ...extra,
  };
}
const ip = (address: string) => ({ sourceIPAddress: address });

const RECORDS = [
  // alice: five failures from three addresses, then a success
  event(0, 'alice', 'fail', ip('203.0.113.1')),
  event(1, 'alice', 'fail', ip('203.0.113.2')),
  event(2, 'alice', 'fail', ip('203.0.113.3')),
  event(3, 'alice', 'fail', ip('203.0.113.1')),
  event(4, 'alice', 'fail', ip('203.0.113.2')),
  event(6, 'alice', 'ok', { additionalEventData: { LoginTo: 'console', SignedInAs: 'alice' } }),
  // bob: a success, then three failures
  event(0, 'bob', 'ok', { additionalEventData: { SignedInAs: 'bob' } }),
  event(1, 'bob', 'fail'),
  event(2, 'bob', 'fail'),
  event(3, 'bob', 'fail'),
  // carol: four failures, two each side of 10:10
  event(8, 'carol', 'fail'),
  event(9, 'carol', 'fail'),
  event(11, 'carol', 'fail'),
  event(12, 'carol', 'fail'),
  // downloads
  event(1, 'dave', 'get', { additionalEventData: { bytesTransferredOut: 700 } }),
  event(2, 'dave', 'get', { additionalEventData: { bytesTransferredOut: 600 } }),
  event(3, 'erin', 'get', { additionalEventData: { bytesTransferredOut: 300 } }),
];

const BASE = `
title: Failed console sign-in
id: failed-login
name: failed_login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}
  condition: sel
---
title: Successful console sign-in
id: good-login
name: successful_login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Success}
  condition: sel
---
title: Download
id: download
name: download
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: GetObject}
  condition: sel
`;

const RANGE = { from: Date.parse('2024-03-01T10:00:00Z'), to: Date.parse('2024-03-01T11:00:00Z') };

function load(correlation: string): { rule: DetectionRule; all: DetectionRule[] } {
  const { rules, errors } = rulesFromSources([{ file: 'rules.yml', text: `${BASE}---\ntitle: Correlation\nid: corr\n${correlation}` }]);
  expect(errors.map((e) => e.message)).toEqual([]);
  return { rule: rules.find((r) => r.id === 'corr') as DetectionRule, all: rules };
}

describe('Sigma correlations on stored CloudTrail events', () => {
  let db: DetectionStore;

  beforeAll(async () => {
    db = await DetectionStore.open();
    const start = Date.parse('2024-03-01T10:05:00Z') / 1000;
    const flow = `2 111122223333 eni-0a1b2c3d 203.0.113.1 10.0.0.5 44321 22 6 1 40 ${start} ${start + 30} REJECT OK`;
    await db.replace([...(await rowsOf('cloudtrail', RECORDS)), ...(await rowsOf('vpcflow', [flow]))]);
  });
  afterAll(() => db.close());

  const hitsOf = async (rule: DetectionRule): Promise<Array<Record<string, string | number | undefined>>> =>
    (await db.hits(rule, RANGE))
      .map((h) => ({ ...h.keys, window: h.window?.slice(11, 16), count: h.count, events: h.events }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('event_count: events per group and window against the condition', async () => {
    const { rule } = load(
      'correlation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {gte: 3}\n'
    );
    expect(await hitsOf(rule)).toEqual([
      { 'userIdentity.userName': 'alice', window: '10:00', count: 5, events: 5 },
      { 'userIdentity.userName': 'bob', window: '10:00', count: 3, events: 3 },
    ]);
  });

  it('event_count: windows are aligned to the timespan, so a burst across a boundary is split', async () => {
    const tenMinutes = load(
      'correlation:\n  type: event_count\n  rules: failed_login\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {gte: 4}\n'
    );
    expect((await hitsOf(tenMinutes.rule)).map((h) => h['userIdentity.userName'])).toEqual(['alice']);
    expect(tenMinutes.rule.warnings.join(' ')).toMatch(/aligned to multiples of the timespan/);
    const hour = load('correlation:\n  type: event_count\n  rules: failed_login\n  group-by: [userIdentity.userName]\n  timespan: 1h\n  condition: {gte: 4}\n');
    expect((await hitsOf(hour.rule)).map((h) => h['userIdentity.userName'])).toEqual(['alice', 'carol']);
  });

  it('event_count: a range of counts, and no group-by', async () => {
    const { rule } = load('correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 1h\n  condition: {gt: 10, lte: 12}\n');
    expect(await hitsOf(rule)).toEqual([{ window: '10:00', count: 12, events: 12 }]);
    expect(rule.completeWindowsOnly).toBe(true);
  });

  it('event_count over two rules counts the events of either', async () => {
    const { rule } = load(
      'correlation:\n  type: event_count\n  rules: [failed_login, successful_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {eq: 4}\n'
    );
    expect(await hitsOf(rule)).toEqual([{ 'userIdentity.userName': 'bob', window: '10:00', count: 4, events: 4 }]);
  });

  it('value_count: distinct values of a field per group', async () => {
    const { rule } = load(
      'correlation:\n  type: value_count\n  rules: [failed_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {field: sourceIPAddress, gte: 3}\n'
    );
    expect(await hitsOf(rule)).toEqual([{ 'userIdentity.userName': 'alice', window: '10:00', count: 3, events: 5 }]);
  });

  it('value_sum and value_avg: a numeric field added up or averaged per group', async () => {
    const sum = load(
      'correlation:\n  type: value_sum\n  rules: [download]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n  condition: {field: additionalEventData.bytesTransferredOut, gt: 1000}\n'
    );
    expect(await hitsOf(sum.rule)).toEqual([{ 'userIdentity.userName': 'dave', window: '10:00', count: 1300, events: 2 }]);
    const avg = load(
      'correlation:\n  type: value_avg\n  rules: [download]\n  group-by: [userIdentity.userName]\n  timespan: 1h\n  condition: {field: additionalEventData.bytesTransferredOut, lt: 500}\n'
    );
    expect(await hitsOf(avg.rule)).toEqual([{ 'userIdentity.userName': 'erin', window: '10:00', count: 300, events: 1 }]);
    expect(avg.rule.completeWindowsOnly).toBe(true);
  });

  it('temporal: every rule seen in the window, in any order', async () => {
    const { rule } = load('correlation:\n  type: temporal\n  rules: [failed_login, successful_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n');
    expect(await hitsOf(rule)).toEqual([
      { 'userIdentity.userName': 'alice', window: '10:00', count: 2, events: 6 },
      { 'userIdentity.userName': 'bob', window: '10:00', count: 2, events: 4 },
    ]);
  });

  it('temporal with a condition: how many of the rules', async () => {
    const { rule } = load(
      'correlation:\n  type: temporal\n  rules: [failed_login, successful_login, download]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {gte: 1}\n'
    );
    expect((await hitsOf(rule)).map((h) => [h['userIdentity.userName'], h.window, h.count])).toEqual([
      ['alice', '10:00', 2],
      ['bob', '10:00', 2],
      ['carol', '10:00', 1],
      ['carol', '10:10', 1],
      ['dave', '10:00', 1],
      ['erin', '10:00', 1],
    ]);
  });

  it('temporal_ordered: the rules happen in the order listed', async () => {
    const failThenSucceed = load(
      'correlation:\n  type: temporal_ordered\n  rules: [failed_login, successful_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n'
    );
    expect(await hitsOf(failThenSucceed.rule)).toEqual([{ 'userIdentity.userName': 'alice', window: '10:00', count: 2, events: 6 }]);
    const succeedThenFail = load(
      'correlation:\n  type: temporal_ordered\n  rules: [successful_login, failed_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n'
    );
    expect(await hitsOf(succeedThenFail.rule)).toEqual([{ 'userIdentity.userName': 'bob', window: '10:00', count: 2, events: 4 }]);
  });

  it('aliases group rules by different fields', async () => {
    const { rule } = load(
      [
        'correlation:',
        '  type: temporal_ordered',
        '  rules: [failed_login, successful_login]',
        '  group-by: [user]',
        '  timespan: 10m',
        '  aliases:',
        '    user:',
        '      failed_login: userIdentity.userName',
        '      successful_login: additionalEventData.SignedInAs',
        '',
      ].join('\n')
    );
    expect(await hitsOf(rule)).toEqual([{ user: 'alice', window: '10:00', count: 2, events: 6 }]);
  });

  it("a hit's events query selects exactly the events of its group and window", async () => {
    const { rule } = load(
      'correlation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {gte: 4}\n'
    );
    const [hit] = await db.hits(rule, RANGE);
    const link = hitEvents(rule, hit);
    expect([link.from, link.to]).toEqual(['2024-03-01T10:00:00.000Z', '2024-03-01T10:04:00.001Z']);
    const rows = await db.rows(`${link.query}\n| project userName = userIdentity.userName, rule`, { from: Date.parse(link.from), to: Date.parse(link.to) });
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => `${r.userName} ${r.rule}`))).toEqual(new Set(['alice failed-login']));
  });

  it('leaves out windows that have not ended when an upper bound could still be broken', async () => {
    const { rule } = load(
      'correlation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [userIdentity.userName]\n  timespan: 10m\n  condition: {lte: 2}\n'
    );
    const before = { from: RANGE.from, to: Date.parse('2024-03-01T10:15:00Z') };
    expect((await db.hits(rule, before)).map((h) => [h.keys['userIdentity.userName'], h.window])).toEqual([['carol', '2024-03-01T10:00:00.000Z']]);
    const after = { from: RANGE.from, to: Date.parse('2024-03-01T10:20:00Z') };
    expect((await db.hits(rule, after)).map((h) => [h.keys['userIdentity.userName'], h.window]).sort()).toEqual([
      ['carol', '2024-03-01T10:00:00.000Z'],
      ['carol', '2024-03-01T10:10:00.000Z'],
    ]);
  });

  it('a run covers whole windows: its start moves back to the window that holds it', () => {
    const { rule } = load('correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 1h\n  condition: {gte: 1}\n');
    expect(rule.lookbackMs).toBe(3600_000);
    const range = runRange(rule, Date.parse('2024-03-01T10:20:00Z'));
    expect([new Date(range.from).toISOString(), new Date(range.to).toISOString()]).toEqual(['2024-03-01T09:00:00.000Z', '2024-03-01T10:20:00.000Z']);
  });

  it('the rules a correlation uses run on their own only when it says generate: true', () => {
    const plain = load('correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 1h\n  condition: {gte: 1}\n');
    expect(Object.fromEntries(plain.all.map((r) => [r.id, r.standalone]))).toEqual({ 'failed-login': false, 'good-login': true, download: true, corr: true });
    const generated = load('correlation:\n  type: event_count\n  rules: [failed_login]\n  timespan: 1h\n  condition: {gte: 1}\n  generate: true\n');
    expect(generated.all.find((r) => r.id === 'failed-login')?.standalone).toBe(true);
  });

  it('correlates rules of different log types over all events', async () => {
    const { rules, errors } = rulesFromSources([
      {
        file: 'mixed.yml',
        text: `${BASE}---\ntitle: Flow\nid: flow\nname: flow\nlogsource: {product: aws, service: vpcflow}\ndetection:\n  sel: {action: REJECT}\n  condition: sel\n---\ntitle: Mixed\nid: mixed\ncorrelation:\n  type: temporal\n  rules: [failed_login, flow]\n  timespan: 1h\n`,
      },
    ]);
    expect(errors).toEqual([]);
    const mixed = rules.find((r) => r.id === 'mixed') as DetectionRule;
    expect(mixed.table).toBe('events');
    expect(mixed.events).toMatch(/logType == "cloudtrail" and/);
    expect((await db.hits(mixed, RANGE)).map((h) => [h.window, h.count, h.events])).toEqual([['2024-03-01T10:00:00.000Z', 2, 13]]);
    const [hit] = await db.hits(mixed, RANGE);
    const rows = await db.rows(`${hitEvents(mixed, hit).query}\n| summarize n = count() by logType, rule`, RANGE);
    expect(rows.map((r) => [r.logType, r.rule, Number(r.n)]).sort()).toEqual([
      ['cloudtrail', 'failed-login', 12],
      ['vpcflow', 'flow', 1],
    ]);
  });
});
