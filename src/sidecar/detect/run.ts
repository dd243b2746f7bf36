import type { Store } from '../store/store';
import { toIso } from '../store/time';
import { DEFAULT_LIMITS, execute, type QueryLimits } from '../query/execute';
import { compileRuleQuery } from './compile';
import type { DetectionRule, Hit } from './types';

export interface RunRange {
  from: number;
  to: number;
}

export const MAX_HITS = 10_000;

/**
 * The event time a run at `at` (ms) covers: the rule's look-back window, and for a correlation
 * from the start of the window that holds the look-back's start, so no window is half counted.
 */
export function runRange(rule: Pick<DetectionRule, 'lookbackMs' | 'windowMs'>, at: number): RunRange {
  const from = at - rule.lookbackMs;
  return { from: rule.windowMs ? Math.floor(from / rule.windowMs) * rule.windowMs : from, to: at };
}

export interface RuleRun {
  hits: Hit[];
  /** More than `maxHits` groups made a hit; the rest were not read. */
  truncated: boolean;
}

export interface RunOptions {
  maxHits?: number;
  limits?: QueryLimits;
  /** Only events received in this window (a scheduled run over received time, so late logs are still checked). */
  received?: RunRange;
}

/**
 * Runs a rule's hits query over the event-time range. Windows of a correlation that end after
 * the range are left out when the rule needs complete windows (its threshold has an upper bound).
 */
export async function runRule(store: Store, rule: DetectionRule, range: RunRange, options: RunOptions = {}): Promise<RuleRun> {
  const run = await runHits(store, rule.hits, rule.groupBy, range, { ...options, windowed: rule.windowMs !== null });
  const complete =
    rule.completeWindowsOnly && rule.windowMs ? run.hits.filter((h) => h.window !== null && Date.parse(h.window) + (rule.windowMs ?? 0) <= range.to) : run.hits;
  return { hits: complete, truncated: run.truncated };
}

/** Runs a hits query (see types.ts: the group keys, then `window` when windowed, `count`, `events`, `firstSeen`, `lastSeen`). */
export async function runHits(
  store: Store,
  query: string,
  groupBy: DetectionRule['groupBy'],
  range: RunRange,
  options: RunOptions & { windowed: boolean }
): Promise<RuleRun> {
  const maxHits = options.maxHits ?? MAX_HITS;
  const compiled = compileRuleQuery(query, range, maxHits, options.received);
  const result = await execute<Record<string, unknown>>(store, compiled.sql, compiled.params, options.limits ?? DEFAULT_LIMITS, maxHits + 1);
  const hits = result.rows.slice(0, maxHits).map((row): Hit => ({
    keys: Object.fromEntries(groupBy.map((k) => [k.name, String(row[k.name] ?? '')])),
    window: options.windowed ? toIso(String(row.window)) : null,
    count: Number(row.count),
    events: Number(row.events),
    firstSeen: toIso(String(row.firstSeen)),
    lastSeen: toIso(String(row.lastSeen)),
  }));
  return { hits, truncated: result.rows.length > maxHits };
}
