// What detections cost: 100 rules over 1 million events (30 days of CloudTrail, ALB and VPC flow
// logs from the demo's generator, read by the real parsers, with the planted incident).
//   npm run build:bench
//   node dist-bench/bench/detections.js [--events 1000000] [--rules 100] [--runs 3] [--dir PATH]
//
// --dir keeps the store in PATH and reuses it on the next run (generating and parsing a million
// events takes minutes). Events are stored as live ingest would have received them: each a few
// seconds to two minutes after its event time. The rules are the pack's, and copies of them under
// other ids up to --rules (the same queries: as costly as the pack's own).
//
//   reference    one `events | count` over the 30 days, compiled and run like any search
//   cycle        one scheduled cycle: every rule due, its window the last 10 minutes of received
//                time (5-minute schedule + 5-minute overlap), as on a live sidecar (median of --runs)
//   landed       one scheduled cycle whose window holds all 30 days of received time: what the
//                next cycle does after a 30-day backfill has landed (the retro-hunt of a backfill)
//   hunt         an on-demand retro-hunt of every rule over the 30 days
// Each is printed in seconds and as a ratio to the reference, with the rules that cost most.
import { drainPending } from 'chdb';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { dump, loadAll } from 'js-yaml';
import { chunksOf, parseAll } from '../src/sidecar/formats/parseAll';
import { detectFormat } from '../src/sidecar/formats/registry';
import { timeFromKey } from '../src/sidecar/keys/keyTime';
import { createBucket } from '../src/sidecar/generate/bucket';
import { toEventRow } from '../src/sidecar/ingest/rows';
import { compileQuery } from '../src/sidecar/query/compiler';
import { ANY_FIELDS } from '../src/sidecar/detect/compile';
import { RuleEvaluator } from '../src/sidecar/detect/evaluate';
import { HuntRepository, RetroHunts } from '../src/sidecar/detect/hunts';
import { loadRules, rulesFromSources, type LoadedRules } from '../src/sidecar/detect/load';
import { DetectionRepository } from '../src/sidecar/detect/repository';
import { RuleSet } from '../src/sidecar/detect/ruleSet';
import { RuleRunRepository } from '../src/sidecar/detect/runs';
import { DetectionScheduler } from '../src/sidecar/detect/scheduler';
import { RuleSettingsRepository } from '../src/sidecar/detect/settings';
import { DetectionWriter } from '../src/sidecar/detect/writer';
import { DEFAULT_LIMITS, execute } from '../src/sidecar/query/execute';
import { createLogger } from '../src/sidecar/log';
import { ChdbStore } from '../src/sidecar/store/chdb';
import type { EventRow } from '../src/sidecar/store/eventColumns';
import { toClickHouseTime } from '../src/sidecar/store/time';
import { numberOption, stringOption } from './args';

const EVENTS = numberOption('events', 1_000_000);
const RULES = numberOption('rules', 100);
const RUNS = numberOption('runs', 3);
const KEEP_DIR = stringOption('dir');

const MIN = 60_000;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const START = END - 30 * DAY;
const SETTLE = 30_000;
const log = createLogger('silent');

/** The demo's bucket, parsed as ingest parses it; received a few seconds to two minutes after the event time. */
async function load(store: ChdbStore): Promise<number> {
  const bucket = createBucket({ seed: 'bench-detections', end: END, days: 30, targetEvents: EVENTS, fileMinutes: { cloudtrail: 60, alb: 60, vpcflow: 60 } });
  let events = 0;
  let batch: EventRow[] = [];
  let n = 0;
  for (const object of bucket.objects()) {
    const detection = detectFormat('auto', object.key, '');
    if ('error' in detection) {
      throw new Error(detection.error);
    }
    const body = gunzipSync(object.body);
    const parsed = await parseAll(detection.format, chunksOf(body), { bucket: 'bench', key: object.key, size: body.length, keyTime: timeFromKey(object.key) });
    parsed.events.forEach((event, i) => {
      const time = event.time ?? object.minTime;
      const lag = 5_000 + ((i * 7919) % 115_000);
      const ctx = {
        sourceId: detection.format.type,
        logType: detection.format.type,
        bucket: 'bench',
        key: object.key,
        etag: 'e',
        backfillId: '',
        receivedAt: toClickHouseTime(time + lag),
        fallbackTime: time,
      };
      batch.push(toEventRow(event, i + 1, ctx));
    });
    events += parsed.events.length;
    if (batch.length >= 50_000) {
      await store.insertEvents(batch, `bench-${n++}`);
      batch = [];
      process.stdout.write(`\r  loading: ${events.toLocaleString('en-US')} events`);
    }
  }
  await store.insertEvents(batch, `bench-${n++}`);
  process.stdout.write('\r\x1b[2K');
  await store.exec('OPTIMIZE TABLE events FINAL');
  return events;
}

/** The pack's standalone rules, then copies of them under other ids, `count` in all (with the bases correlations need). */
function hundredRules(count: number): LoadedRules {
  // PACK_DIR is relative to the module: in dist-bench it names dist-bench/rules; the pack is at the top.
  const pack = loadRules([join(__dirname, '..', '..', 'rules')]);
  const files = [...new Set(pack.rules.map((r) => r.file))];
  const texts = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const standalone = pack.rules.filter((r) => r.standalone).length;
  if (standalone === 0) {
    throw new Error(`no rule in the pack: ${pack.errors.map((e) => e.message).join('; ')}`);
  }
  const copies = [];
  for (let copy = 1; standalone * copy < count; copy++) {
    for (const { file, text } of texts) {
      const docs = (loadAll(text) as Array<Record<string, unknown>>).map((doc) => {
        const renamed: Record<string, unknown> = { ...doc, id: `${doc.id}-copy${copy}` };
        if (typeof doc.name === 'string') {
          renamed.name = `${doc.name}-copy${copy}`;
        }
        const correlation = doc.correlation as { rules?: string[] } | undefined;
        if (correlation?.rules) {
          renamed.correlation = { ...correlation, rules: correlation.rules.map((r) => `${r}-copy${copy}`) };
        }
        return dump(renamed);
      });
      copies.push({ file: file.replace(/\.yml$/, `.copy${copy}.yml`), text: docs.join('---\n') });
    }
  }
  const loaded = rulesFromSources([...texts, ...copies]);
  // The pack's own first, then copies, the first copy of every rule before any second one.
  const copyOf = (id: string) => Number(/-copy(\d+)$/.exec(id)?.[1] ?? 0);
  const keep = new Set(
    loaded.rules
      .filter((r) => r.standalone)
      .sort((a, b) => copyOf(a.id) - copyOf(b.id))
      .slice(0, count)
      .map((r) => r.id)
  );
  return { rules: loaded.rules.filter((r) => !r.standalone || keep.has(r.id)), errors: loaded.errors };
}

async function timed<T>(what: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await what();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** A clock that reads `at` now and runs on from there, so runs record how long they took. */
function clockAt(at: number): () => number {
  const started = performance.now();
  return () => at + Math.round(performance.now() - started);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'lookback-bench-detections-'));
  const fresh = !existsSync(join(dir, 'lookback.lock')) && !existsSync(join(dir, 'store'));
  const store = new ChdbStore(join(dir, 'store'));
  try {
    await store.migrate();
    const { rows: counted } = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    let events = Number(counted[0].n);
    if (fresh || events === 0) {
      const loaded = await timed(() => load(store));
      events = loaded.value;
      console.log(`  loaded ${events.toLocaleString('en-US')} events in ${loaded.seconds.toFixed(0)} s`);
    }
    const { rows: types } = await store.query<{ log_type: string; n: number }>('SELECT log_type, count() AS n FROM events GROUP BY log_type ORDER BY log_type');
    console.log(
      `events: ${events.toLocaleString('en-US')} over 30 days (${types.map((t) => `${t.log_type} ${Number(t.n).toLocaleString('en-US')}`).join(', ')})`
    );

    const loaded = hundredRules(RULES);
    if (loaded.errors.length > 0) {
      throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    }
    const rules = new RuleSet(() => loaded);
    rules.load();
    const standalone = rules.standalone();
    const point = standalone.filter((r) => rules.plan(r).mode === 'point').length;
    console.log(`rules: ${standalone.length} (${point} run at points in time, the rest over whole windows)`);

    const detections = new DetectionRepository(store);
    const runs = new RuleRunRepository(store);
    const settings = new RuleSettingsRepository(store);
    const evaluator = new RuleEvaluator(store);
    const writer = new DetectionWriter(detections, null);
    const reset = async () => {
      for (const table of ['detections', 'rule_runs', 'detection_hunts']) {
        await store.exec(`TRUNCATE TABLE ${table}`);
      }
    };
    /** Rule cursors as if every rule last ran up to `at`. */
    const cursorsAt = async (at: number) => {
      await store.insertRows(
        'rule_runs',
        standalone.map((r) => ({
          rule_id: r.id,
          run_id: `bench:${at}`,
          kind: 'scheduled',
          rule_version: '',
          owner: 'bench',
          range_from: toClickHouseTime(at - 5 * MIN),
          range_to: toClickHouseTime(at),
          state: 'done',
          started_at: toClickHouseTime(at),
          version: 2,
        }))
      );
    };

    // The reference: one plain count() scan over the same 30 days.
    const reference: number[] = [];
    for (let i = 0; i < 2 * RUNS + 1; i++) {
      const compiled = compileQuery('events | count', { from: START, to: END, maxRows: 10, fields: ANY_FIELDS });
      const run = await timed(() => execute(store, compiled.sql, compiled.params, DEFAULT_LIMITS));
      if (i > 0) {
        reference.push(run.seconds);
      }
    }
    const ref = median(reference);
    console.log(`reference: events | count over 30 days: ${(ref * 1000).toFixed(1)} ms (median of ${2 * RUNS})`);
    const report = (what: string, seconds: number, extra = '') =>
      console.log(`${what.padEnd(9)} ${seconds.toFixed(2)} s  ${(seconds / ref).toFixed(0)}x the reference${extra}`);

    // One scheduled cycle on a live sidecar: the last 10 minutes of received time.
    const cycles: number[] = [];
    let lastCycle;
    for (let i = 0; i < RUNS + 1; i++) {
      await reset();
      const at = END - (i + 1) * 3 * 60 * MIN;
      await cursorsAt(at - 5 * MIN);
      const scheduler = new DetectionScheduler(
        { rules, evaluator, writer, runs, settings, log, clock: clockAt(at + SETTLE) },
        { owner: 'bench', settleMs: SETTLE }
      );
      const run = await timed(() => scheduler.cycle({ now: at + SETTLE }));
      lastCycle = run.value;
      if (i > 0) {
        cycles.push(run.seconds);
      }
    }
    report(
      'cycle',
      median(cycles),
      `  (median of ${RUNS}; last: ${lastCycle?.ran} rules queried, ${(lastCycle?.due ?? 0) - (lastCycle?.ran ?? 0)} with nothing new, ${lastCycle?.hits} hits)`
    );

    // The cycle after a 30-day backfill has landed: every event is new to every rule.
    await reset();
    await cursorsAt(START - 10 * MIN);
    const landedScheduler = new DetectionScheduler(
      { rules, evaluator, writer, runs, settings, log, clock: clockAt(END + 5 * MIN) },
      { owner: 'bench', settleMs: SETTLE }
    );
    const landed = await timed(() => landedScheduler.cycle({ now: END + 5 * MIN, force: true }));
    report('landed', landed.seconds, `  (${landed.value.hits} hits, ${landed.value.created} detections)`);
    await slowest(store, 'scheduled', landed.seconds);

    // An on-demand retro-hunt over the 30 days.
    await reset();
    const hunts = new RetroHunts({ rules, evaluator, writer, runs, settings, hunts: new HuntRepository(store), log, clock: clockAt(END + 10 * MIN) }, 'bench');
    const hunt = await timed(async () => {
      const started = await hunts.start({ from: START, to: END, rules: [], notify: false, by: 'bench' });
      await hunts.idle();
      return hunts.get(started.id);
    });
    report('hunt', hunt.seconds, `  (${hunt.value?.hits} hits, ${hunt.value?.newDetections} detections, ${hunt.value?.errors.length} notes)`);
    await slowest(store, 'hunt', hunt.seconds);
    const { rows: bySeverity } = await store.query<{ severity: string; n: number }>(
      'SELECT severity, count() AS n FROM detections GROUP BY severity ORDER BY n DESC'
    );
    console.log(`detections of the hunt by severity: ${bySeverity.map((r) => `${r.severity} ${r.n}`).join(', ')}`);
  } finally {
    await store.close();
    await drainPending();
    if (!KEEP_DIR) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The rules whose runs of this kind took longest. */
async function slowest(store: ChdbStore, kind: string, total: number): Promise<void> {
  const { rows } = await store.query<{ rule_id: string; ms: number }>(
    `SELECT rule_id, max(duration_ms) AS ms FROM rule_runs FINAL WHERE kind = {kind:String} AND state = 'done' GROUP BY rule_id ORDER BY ms DESC LIMIT 5`,
    { kind }
  );
  const sum = rows.reduce((s, r) => s + Number(r.ms), 0) / 1000;
  console.log(
    `          slowest rules: ${rows.map((r) => `${r.rule_id.replace(/^lookback\.aws\./, '')} ${(Number(r.ms) / 1000).toFixed(2)} s`).join(', ')} (${((sum / total) * 100).toFixed(0)}% of it)`
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
