import { createLogger } from '../log';
import { RuleEvaluator } from './evaluate';
import { rulesFromSources } from './load';
import { DetectionRepository } from './repository';
import { RuleSet } from './ruleSet';
import { RuleRunRepository } from './runs';
import { DetectionScheduler } from './scheduler';
import { RuleSettingsRepository } from './settings';
import { cloudTrailRecord as record, DetectionStore, landAt as land } from './testing';
import { DetectionWriter, type DetectionOutbox } from './writer';
import type { Detection } from '../../shared/detections';

// The scheduler on chDB: rules run over events by the time they were received, windows overlap,
// and whatever runs when, each detection is stored once with the count of all its events.

const MIN = 60_000;
const HOUR = 60 * MIN;
/** "Now" for the tests: 2026-01-10 12:00 UTC, a multiple of every schedule used here. */
const T0 = Date.UTC(2026, 0, 10, 12);

const RULES = `
title: Root signs in
id: test.root-login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, userIdentity.type: Root}
  condition: sel
level: high
tags: [attack.t1078.004]
group-by: [sourceIPAddress]
schedule: 1m
suppress: 1h
---
title: Failed sign-in
id: test.failed
name: failed
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}
  condition: sel
level: informational
---
title: Password guessing
id: test.guessing
correlation: {type: event_count, rules: [failed], group-by: [sourceIPAddress], timespan: 10m, condition: {gte: 3}}
level: medium
schedule: 1m
---
title: Many calls from one address in the run's hour
id: test.busy-address
severity: low
query: |
  CloudTrail
  | where eventName == "DescribeInstances"
  | summarize time = min(time), calls = count() by sourceIPAddress
  | where calls >= 3 and time >= $__to - 1h
group-by: [sourceIPAddress]
schedule: 10m
lookback: 1h
suppress: 1d
`;

class Outbox implements DetectionOutbox {
  readonly sent: Detection[] = [];
  async enqueue(detections: Detection[]): Promise<void> {
    this.sent.push(...detections);
  }
}

jest.setTimeout(60_000);

describe('the detection scheduler', () => {
  let db: DetectionStore;
  const log = createLogger('silent');
  const loaded = rulesFromSources([{ file: 'rules.yml', text: RULES }]);
  let outbox: Outbox;
  let detections: DetectionRepository;
  let runs: RuleRunRepository;
  let settings: RuleSettingsRepository;

  function scheduler(owner: string, clock: () => number = () => T0) {
    const rules = new RuleSet(() => loaded);
    rules.load();
    return new DetectionScheduler(
      {
        rules,
        evaluator: new RuleEvaluator(db.store),
        writer: new DetectionWriter(detections, outbox),
        runs,
        settings,
        log,
        clock,
      },
      { owner, settleMs: 30_000, overlapMs: 5 * MIN }
    );
  }

  const byRule = async (ruleId: string) => (await detections.list({ ruleIds: [ruleId], limit: 100 })).detections;

  beforeAll(async () => {
    expect(loaded.errors.map((e) => e.message)).toEqual([]);
    db = await DetectionStore.open();
    detections = new DetectionRepository(db.store);
    runs = new RuleRunRepository(db.store);
    settings = new RuleSettingsRepository(db.store);
  });
  afterAll(() => db.close());

  beforeEach(async () => {
    outbox = new Outbox();
    for (const table of ['events', 'detections', 'rule_runs', 'rule_settings']) {
      await db.store.exec(`TRUNCATE TABLE ${table}`);
    }
  });

  it('checks events as they land, by received time, and reports a window seen twice once', async () => {
    const s = scheduler('a');
    // A root sign-in a minute before T0, received 40 s later.
    await land(db, T0 - 20_000, [record(T0 - MIN, 'root', '198.51.100.7')]);
    // At T0 + 20 s the event is too fresh (settle 30 s): the run up to T0 - 1 min sees nothing.
    expect(await s.cycle({ now: T0 + 20_000 })).toMatchObject({ due: 3, created: 0 });
    expect(await byRule('test.root-login')).toEqual([]);

    // The next window [T0 - 1m - 5m, T0) holds it.
    expect(await s.cycle({ now: T0 + 40_000 })).toMatchObject({ due: 3, created: 1 });
    const [found] = await byRule('test.root-login');
    expect(found).toMatchObject({
      ruleId: 'test.root-login',
      title: 'Root signs in',
      severity: 'high',
      tags: ['attack.t1078.004'],
      keys: { sourceIPAddress: '198.51.100.7' },
      window: { from: new Date(T0 - HOUR).toISOString(), to: new Date(T0).toISOString() },
      count: 1,
      firstSeen: new Date(T0 - MIN).toISOString(),
      status: 'open',
    });
    expect(found.explore.query).toMatch(/\| where tostring\(sourceIPAddress\) == "198\.51\.100\.7"$/);
    expect(outbox.sent.map((d) => d.fingerprint)).toEqual([found.fingerprint]);

    // The next run's window overlaps this one (it starts 5 min before T0): the event is seen
    // again, and the detection is still one, not sent again.
    expect(await s.cycle({ now: T0 + MIN + 40_000 })).toMatchObject({ due: 2, created: 0, hits: 1 });
    expect((await byRule('test.root-login')).map((d) => [d.fingerprint, d.count])).toEqual([[found.fingerprint, 1]]);
    expect(outbox.sent).toHaveLength(1);
  });

  it('counts a later event of the same group and window into the detection: count and last seen', async () => {
    const s = scheduler('a');
    await land(db, T0 - 50_000, [record(T0 - 20 * MIN, 'root', '198.51.100.7')]);
    await s.cycle({ now: T0 + 40_000 });
    // Two more in the same hour (the rule's suppress window, 11:00 to 12:00), landing later.
    await land(db, T0 + 50_000, [record(T0 - 5 * MIN, 'root', '198.51.100.7'), record(T0 - 4 * MIN, 'root', '198.51.100.7')]);
    await s.cycle({ now: T0 + 2 * MIN });
    const found = await byRule('test.root-login');
    expect(found.map((d) => [d.count, d.firstSeen, d.lastSeen])).toEqual([[3, new Date(T0 - 20 * MIN).toISOString(), new Date(T0 - 4 * MIN).toISOString()]]);
    // In the next window of event time (the suppress window is 1h), the same address is a new detection.
    await land(db, T0 + 2 * MIN + 30_000, [record(T0 + MIN, 'root', '198.51.100.7')]);
    await s.cycle({ now: T0 + 4 * MIN });
    expect((await byRule('test.root-login')).map((d) => [d.count, d.window.from])).toEqual([
      [1, new Date(T0).toISOString()],
      [3, new Date(T0 - HOUR).toISOString()],
    ]);
    expect(outbox.sent).toHaveLength(2);
  });

  it('hunts backfilled events when they land, however old their event time (the retro-hunt)', async () => {
    const s = scheduler('a');
    await s.cycle({ now: T0 + 40_000 });
    // Twenty days old, received now: the next run finds them.
    const old = T0 - 20 * 24 * HOUR;
    await land(db, T0 + 50_000, [record(old, 'root', '203.0.113.9'), ...[1, 2, 3].map((m) => record(old + m * MIN, 'fail', '203.0.113.9'))]);
    expect(await s.cycle({ now: T0 + 2 * MIN })).toMatchObject({ created: 2 });
    expect((await byRule('test.root-login')).map((d) => d.firstSeen)).toEqual([new Date(old).toISOString()]);
    expect((await byRule('test.guessing')).map((d) => [d.keys, d.count])).toEqual([[{ sourceIPAddress: '203.0.113.9' }, 3]]);
  });

  it('counts a correlation window whole when its events land in different runs', async () => {
    const s = scheduler('a');
    // Two failures in the 11:40 window land at one time, the third later: neither run alone has three.
    await land(db, T0 - 50_000, [record(T0 - 15 * MIN, 'fail', '203.0.113.5'), record(T0 - 14 * MIN, 'fail', '203.0.113.5')]);
    expect(await s.cycle({ now: T0 + 40_000 })).toMatchObject({ created: 0 });
    await land(db, T0 + 20_000, [record(T0 - 12 * MIN, 'fail', '203.0.113.5')]);
    expect(await s.cycle({ now: T0 + 2 * MIN })).toMatchObject({ created: 1 });
    expect((await byRule('test.guessing')).map((d) => [d.count, d.window.from])).toEqual([[3, new Date(T0 - 20 * MIN).toISOString()]]);
  });

  it('runs a rule that depends on when it runs at the scheduled time, and at the earlier times backfilled events need', async () => {
    const s = scheduler('a');
    await land(
      db,
      T0 - 50_000,
      [1, 2, 3].map((m) => record(T0 - 30 * MIN + m * MIN, 'call', '192.0.2.10'))
    );
    expect(await s.cycle({ now: T0 + 40_000 })).toMatchObject({ created: 1 });
    expect((await byRule('test.busy-address')).map((d) => d.keys)).toEqual([{ sourceIPAddress: '192.0.2.10' }]);
    // Three calls from another address five hours ago, landing now: a run at a past point in time finds them.
    const old = T0 - 5 * HOUR;
    await land(
      db,
      T0 + 50_000,
      [1, 2, 3].map((m) => record(old + m * MIN, 'call', '192.0.2.20'))
    );
    expect(await s.cycle({ now: T0 + 10 * MIN + 40_000 })).toMatchObject({ created: 1 });
    expect((await byRule('test.busy-address')).map((d) => d.keys.sourceIPAddress).sort()).toEqual(['192.0.2.10', '192.0.2.20']);
  });

  it('never undoes a status change when it counts the detection again', async () => {
    const s = scheduler('a');
    await land(db, T0 - 50_000, [record(T0 - 10 * MIN, 'root', '198.51.100.7')]);
    await s.cycle({ now: T0 + 40_000 });
    const [found] = await byRule('test.root-login');
    const changed = await detections.setStatus(found.fingerprint, { status: 'acknowledged', by: 'alice', note: 'looking' }, T0 + 60_000);
    expect(changed).toMatchObject({ status: 'acknowledged', statusBy: 'alice', note: 'looking', count: 1 });
    await land(db, T0 + 70_000, [record(T0 - 2 * MIN, 'root', '198.51.100.7')]);
    await s.cycle({ now: T0 + 3 * MIN });
    expect(await detections.get(found.fingerprint)).toMatchObject({
      status: 'acknowledged',
      statusBy: 'alice',
      count: 2,
      detectedAt: found.detectedAt,
    });
    expect(await detections.setStatus('no-such-fingerprint', { status: 'closed', by: 'alice', note: '' }, T0)).toBeNull();
  });

  it('does not run a disabled rule', async () => {
    await settings.set('test.root-login', { enabled: false, by: 'alice' }, T0);
    const s = scheduler('a');
    await land(db, T0 - 50_000, [record(T0 - 10 * MIN, 'root', '198.51.100.7')]);
    expect(await s.cycle({ now: T0 + 40_000 })).toMatchObject({ due: 2 });
    expect(await byRule('test.root-login')).toEqual([]);
    expect((await runs.latest()).has('test.root-login')).toBe(false);
  });

  it('with two schedulers on one store, runs each rule window once and stores each detection once', async () => {
    const a = scheduler('sidecar-a');
    const b = scheduler('sidecar-b');
    await land(db, T0 - 50_000, [
      record(T0 - 10 * MIN, 'root', '198.51.100.7'),
      ...[1, 2, 3].map((m) => record(T0 - 20 * MIN + m * 10_000, 'fail', '203.0.113.5')),
    ]);
    const [ra, rb] = await Promise.all([a.cycle({ now: T0 + 40_000 }), b.cycle({ now: T0 + 40_000 })]);
    // Three rules were due on both; each run was done by one of them.
    expect([ra.due, rb.due]).toEqual([3, 3]);
    expect(ra.ran + rb.ran).toBe(3);
    expect(ra.claimedElsewhere + rb.claimedElsewhere).toBe(3);
    expect(ra.created + rb.created).toBe(2);
    expect(outbox.sent).toHaveLength(2);
    const { rows } = await db.store.query<{ rule_id: string; owners: string[] }>(
      `SELECT rule_id, groupUniqArray(owner) AS owners FROM rule_runs FINAL WHERE run_id = {run:String} GROUP BY rule_id ORDER BY rule_id`,
      { run: `scheduled:${T0}` }
    );
    expect(rows.map((r) => [r.rule_id, r.owners.length])).toEqual([
      ['test.busy-address', 1],
      ['test.guessing', 1],
      ['test.root-login', 1],
    ]);
    // The next window: whoever runs it, nothing new.
    const [na, nb] = await Promise.all([a.cycle({ now: T0 + MIN + 40_000 }), b.cycle({ now: T0 + MIN + 40_000 })]);
    expect(na.created + nb.created).toBe(0);
    expect((await detections.list({ limit: 100 })).detections).toHaveLength(2);
  });

  it('times each rule run from when that rule starts, not from the start of the cycle', async () => {
    // The clock moves one second each time it is read: a run reads it when it starts, when it writes and when it ends.
    let tick = 0;
    const s = scheduler('a', () => T0 + 40_000 + tick++ * 1000);
    await land(db, T0 - 50_000, [record(T0 - 10 * MIN, 'root', '198.51.100.7')]);
    expect(await s.cycle({ now: T0 + 40_000 })).toMatchObject({ ran: 3 });
    const durations = [...(await runs.latest()).values()].map((r) => r.lastRun?.durationMs);
    expect(durations).toEqual([2000, 2000, 2000]);
  });

  it('records a window with nothing of its log types received as done in no time', async () => {
    let tick = 0;
    const s = scheduler('a', () => T0 + 40_000 + tick++ * 1000);
    // The native rule depends on when it runs, so it queries anyway; the two Sigma rules have nothing to read.
    expect(await s.cycle({ now: T0 + 40_000 })).toMatchObject({ due: 3, ran: 1 });
    const latest = await runs.latest();
    expect(['test.root-login', 'test.guessing'].map((id) => [latest.get(id)?.lastRun.state, latest.get(id)?.lastRun.durationMs])).toEqual([
      ['done', 0],
      ['done', 0],
    ]);
  });

  it('records what each rule run did, and where the rule got to', async () => {
    const s = scheduler('a');
    await land(db, T0 - 50_000, [record(T0 - 10 * MIN, 'root', '198.51.100.7')]);
    await s.cycle({ now: T0 + 40_000 });
    const cursors = await runs.cursors();
    expect(cursors.get('test.root-login')).toBe(T0);
    const latest = (await runs.latest()).get('test.root-login');
    expect(latest).toMatchObject({
      lastRun: {
        kind: 'scheduled',
        state: 'done',
        owner: 'a',
        hits: 1,
        newDetections: 1,
        from: new Date(T0 - 6 * MIN).toISOString(),
        to: new Date(T0).toISOString(),
      },
      lastError: null,
    });
    expect(await s.cycle({ now: T0 + 50_000 })).toMatchObject({ due: 0 });
  });
});
