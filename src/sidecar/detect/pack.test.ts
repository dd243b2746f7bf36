import { basename } from 'node:path';
import { loadRules, readRuleSources } from './load';
import { PACK_DIR } from './pack';
import { runRange } from './run';
import { readSamples, type RuleSamples, type SampleCase } from './samples';
import { DetectionStore, rowsOf } from './testing';
import type { DetectionRule } from './types';

// The rule pack Lookback ships: every rule loads, and fires on each of its positive samples and
// on none of its negative ones. Samples go through the real parsers into a real store.

const { rules, errors } = loadRules([PACK_DIR]);
const standalone = rules.filter((r) => r.standalone);
const samples = new Map<string, RuleSamples>(rules.map((r) => [r.id, readSamples(r.file) as RuleSamples]));

const cases: Array<[string, string, DetectionRule, SampleCase, boolean]> = standalone.flatMap((rule) => {
  const s = samples.get(rule.id);
  return s
    ? [...s.fires.map((c) => [rule.id, c.name, rule, c, true] as const), ...s.quiet.map((c) => [rule.id, c.name, rule, c, false] as const)].map((c) => [...c])
    : [];
}) as Array<[string, string, DetectionRule, SampleCase, boolean]>;

describe('the rule pack', () => {
  let db: DetectionStore;

  beforeAll(async () => {
    db = await DetectionStore.open();
  });
  afterAll(() => db.close());

  it('loads without errors', () => {
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('has at least 30 rules over CloudTrail, VPC flow, ALB, S3 access and GuardDuty', () => {
    expect(standalone.length).toBeGreaterThanOrEqual(30);
    const logTypes = new Set([...samples.values()].map((s) => s.logType));
    expect([...logTypes].sort()).toEqual(['alb', 'cloudtrail', 'guardduty', 's3access', 'vpcflow']);
  });

  it('has samples beside every rule file that holds a rule to run, one such rule per file', () => {
    const files = new Set(standalone.map((r) => r.file));
    expect(files.size).toBe(standalone.length);
    expect([...files].filter((f) => !readSamples(f)).map((f) => basename(f))).toEqual([]);
    expect(readRuleSources([PACK_DIR]).sources.length).toBe(new Set(rules.map((r) => r.file)).size);
  });

  it('gives every rule an ATT&CK tag, a description and a severity', () => {
    for (const rule of standalone) {
      expect([rule.id, rule.tags.some((t) => /^attack\.t\d{4}/.test(t)), rule.description.length > 20]).toEqual([rule.id, true, true]);
    }
  });

  it.each(cases)('%s: %s', async (_id, _name, rule, sample, fires) => {
    const logType = (samples.get(rule.id) as RuleSamples).logType;
    const rows = await rowsOf(logType, sample.events);
    await db.replace(rows);
    const times = rows.map((r) => Date.parse(`${r.time.replace(' ', 'T')}Z`));
    const at = sample.at ? Date.parse(sample.at) : Math.max(...times) + 60_000;
    const range = runRange(rule, at);
    // A quiet case must be quiet because of what its events say, not because the run misses them.
    expect(times.filter((t) => t < range.from || t >= range.to)).toEqual([]);
    const hits = await db.hits(rule, range);
    expect(hits.length > 0).toBe(fires);
  });
});
