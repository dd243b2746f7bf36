import { createLogger } from '../log';
import { RuleEvaluator } from './evaluate';
import { HuntRepository, HuntRequestError, RetroHunts } from './hunts';
import { rulesFromSources, type RuleSource } from './load';
import { DetectionRepository } from './repository';
import { RuleSet } from './ruleSet';
import { RuleRunRepository } from './runs';
import { DetectionScheduler } from './scheduler';
import { RuleSettingsRepository } from './settings';
import { cloudTrailRecord as record, DetectionStore, landAt as land } from './testing';
import { DetectionWriter } from './writer';

// Retro-hunts: a rule added after its events were checked finds them when asked to hunt the
// range; hunting again finds the same detections, not new ones.

jest.setTimeout(60_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 10, 12);

const ROOT: RuleSource = {
  file: 'root.yml',
  text: `title: Root signs in
id: test.root-login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, userIdentity.type: Root}
  condition: sel
level: high
group-by: [sourceIPAddress]
schedule: 1m
`,
};
const GUESSING: RuleSource = {
  file: 'guessing.yml',
  text: `title: Failed sign-in
id: test.failed
name: failed
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}
  condition: sel
---
title: Password guessing
id: test.guessing
correlation: {type: event_count, rules: [failed], group-by: [sourceIPAddress], timespan: 10m, condition: {gte: 3}}
level: medium
schedule: 1m
`,
};
const BUSY: RuleSource = {
  file: 'busy.yml',
  text: `title: Many calls from one address in the run's hour
id: test.busy-address
severity: low
query: |
  CloudTrail
  | where eventName == "DescribeInstances"
  | summarize time = min(time), calls = count() by sourceIPAddress
  | where calls >= 3 and time >= $__to - 1h
group-by: [sourceIPAddress]
schedule: 30m
lookback: 1h
suppress: 1d
`,
};

describe('retro-hunts', () => {
  let db: DetectionStore;
  const log = createLogger('silent');
  let detections: DetectionRepository;
  let runs: RuleRunRepository;
  let settings: RuleSettingsRepository;
  let hunts: HuntRepository;

  function services(sources: RuleSource[], evaluator = new RuleEvaluator(db.store)) {
    const rules = new RuleSet(() => rulesFromSources(sources));
    rules.load();
    const writer = new DetectionWriter(detections, null);
    let tick = 0;
    const clock = () => T0 + 10 * MIN + tick++ * 1000;
    return {
      rules,
      scheduler: new DetectionScheduler({ rules, evaluator, writer, runs, settings, log, clock }, { owner: 'a' }),
      hunts: new RetroHunts({ rules, evaluator, writer, runs, settings, hunts, log, clock }, 'a'),
    };
  }

  beforeAll(async () => {
    db = await DetectionStore.open();
    detections = new DetectionRepository(db.store);
    runs = new RuleRunRepository(db.store);
    settings = new RuleSettingsRepository(db.store);
    hunts = new HuntRepository(db.store);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    for (const table of ['events', 'detections', 'rule_runs', 'rule_settings', 'detection_hunts']) {
      await db.store.exec(`TRUNCATE TABLE ${table}`);
    }
  });

  it('finds, for a rule added later, what the scheduled runs checked before it existed', async () => {
    // Ten days of history with a root sign-in and three failed ones, checked by the root rule only.
    const old = T0 - 10 * DAY;
    await land(db, T0 - 3 * MIN, [record(old, 'root', '203.0.113.9'), ...[1, 2, 3].map((m) => record(old + m * MIN, 'fail', '203.0.113.9'))]);
    const before = services([ROOT]);
    await before.scheduler.cycle({ now: T0 });
    expect((await detections.list({ limit: 10 })).detections.map((d) => d.ruleId)).toEqual(['test.root-login']);

    // The guessing rule is added later: its scheduled runs start from then, so they never see the old failures.
    const after = services([ROOT, GUESSING]);
    await after.scheduler.cycle({ now: T0 + 15 * MIN });
    expect((await detections.list({ ruleIds: ['test.guessing'], limit: 10 })).detections).toEqual([]);

    const hunt = await after.hunts.start({ from: T0 - 30 * DAY, to: T0, rules: ['test.guessing'], notify: false, by: 'alice' });
    expect(hunt).toMatchObject({ state: 'running', rules: ['test.guessing'], requestedBy: 'alice', rulesDone: 0 });
    await after.hunts.idle();
    expect(await after.hunts.get(hunt.id)).toMatchObject({ state: 'done', rulesDone: 1, hits: 1, newDetections: 1, errors: [] });
    expect((await detections.list({ ruleIds: ['test.guessing'], limit: 10 })).detections.map((d) => [d.keys, d.count])).toEqual([
      [{ sourceIPAddress: '203.0.113.9' }, 3],
    ]);
    expect((await runs.latest()).get('test.guessing')?.lastRun).toMatchObject({ kind: 'hunt', state: 'done', runId: `hunt:${hunt.id}`, hits: 1 });

    // Hunting every rule over the same range again finds the same detections: nothing new.
    const again = await after.hunts.start({ from: T0 - 30 * DAY, to: T0, rules: [], notify: false, by: 'alice' });
    await after.hunts.idle();
    expect(await after.hunts.get(again.id)).toMatchObject({ state: 'done', rules: ['test.guessing', 'test.root-login'], hits: 2, newDetections: 0 });
    expect((await detections.list({ limit: 10 })).detections).toHaveLength(2);
    expect((await after.hunts.list(10)).map((h) => h.id)).toEqual([again.id, hunt.id]);
  });

  it('counts windows whole across the queries a long hunt is cut into', async () => {
    // The hunt is cut into days (from noon); failures from one address in the last window before
    // a cut (three) and the first after it (two).
    const cut = T0 - 3 * DAY;
    await land(
      db,
      T0 - 2 * MIN,
      [-9, -5, -1, 1, 2].map((m) => record(cut + m * MIN, 'fail', '203.0.113.5'))
    );
    const small = services([GUESSING], new RuleEvaluator(db.store, { huntChunkMs: DAY }));
    const windows = async () => (await detections.list({ limit: 10 })).detections.map((d) => [d.count, d.window.from]);
    await small.hunts.start({ from: T0 - 5 * DAY, to: T0, rules: [], notify: false, by: '' });
    await small.hunts.idle();
    expect(await windows()).toEqual([[3, new Date(cut - 10 * MIN).toISOString()]]);
    // A third failure after the cut makes that window a detection of its own.
    await land(db, T0 - MIN, [record(cut + 3 * MIN, 'fail', '203.0.113.5')]);
    await small.hunts.start({ from: T0 - 5 * DAY, to: T0, rules: [], notify: false, by: '' });
    await small.hunts.idle();
    expect(await windows()).toEqual([
      [3, new Date(cut).toISOString()],
      [3, new Date(cut - 10 * MIN).toISOString()],
    ]);
  });

  it('splits a query of a hunt that has more hits than one query returns, and reads them all', async () => {
    // Three failures from one address on each of four days: four windows with a hit, two per query at most.
    const days = [4, 3, 2, 1].map((d) => T0 - d * DAY);
    await land(
      db,
      T0 - 2 * MIN,
      days.flatMap((day) => [1, 2, 3].map((m) => record(day + m * MIN, 'fail', '203.0.113.7')))
    );
    const small = services([GUESSING], new RuleEvaluator(db.store, { maxHits: 2, huntChunkMs: 31 * DAY }));
    const hunt = await small.hunts.start({ from: T0 - 5 * DAY, to: T0, rules: [], notify: false, by: '' });
    await small.hunts.idle();
    expect(await small.hunts.get(hunt.id)).toMatchObject({ state: 'done', hits: 4, newDetections: 4, errors: [] });
    expect((await detections.list({ limit: 10 })).detections).toHaveLength(4);
  });

  it('runs a rule that depends on when it runs at each point of its schedule over the range', async () => {
    await land(db, T0 - 2 * MIN, [
      ...[1, 2, 3].map((m) => record(T0 - 2 * DAY + m * MIN, 'call', '192.0.2.10')),
      ...[1, 2].map((m) => record(T0 - DAY + m * MIN, 'call', '192.0.2.20')),
    ]);
    const s = services([BUSY]);
    const hunt = await s.hunts.start({ from: T0 - 3 * DAY, to: T0, rules: [], notify: false, by: '' });
    await s.hunts.idle();
    expect(await s.hunts.get(hunt.id)).toMatchObject({ state: 'done', newDetections: 1 });
    expect((await detections.list({ limit: 10 })).detections.map((d) => d.keys)).toEqual([{ sourceIPAddress: '192.0.2.10' }]);
  });

  it('refuses a hunt it cannot run, saying what is wrong', async () => {
    const s = services([ROOT, GUESSING]);
    const order = { from: T0 - DAY, to: T0, rules: [], notify: false, by: '' };
    await expect(s.hunts.start({ ...order, from: T0 })).rejects.toThrow(new HuntRequestError('from', 'must be a time before to'));
    await expect(s.hunts.start({ ...order, from: T0 - 400 * DAY })).rejects.toThrow('to: a hunt covers at most 366 days');
    await expect(s.hunts.start({ ...order, rules: ['test.nope', 'test.failed'] })).rejects.toThrow(
      'rules: no rule that runs on its own has the id "test.nope", "test.failed"'
    );
    await settings.set('test.root-login', { enabled: false, by: 'alice' }, T0);
    await settings.set('test.guessing', { enabled: false, by: 'alice' }, T0);
    await expect(s.hunts.start(order)).rejects.toThrow('rules: no rule is enabled');
  });
});
