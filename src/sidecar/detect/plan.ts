import { createHash } from 'node:crypto';
import type { Stage } from '../query/ast';
import { parseQuery } from '../query/parser';
import { tableByName } from '../query/tables';
import { plainHits } from './hits';
import { timespanLiteral } from './quote';
import type { DetectionRule, Hit } from './types';

/**
 * How a rule's hits are found, for scheduled runs and retro-hunts.
 *
 * Every hit belongs to a window of event time: a correlation's own timespan, and for other rules
 * the suppress window (Panther's dedup period; the schedule when `suppress` is 0), both aligned to
 * multiples of their width since the epoch. A detection is one rule, version, group and window, so
 * a second hit of the same group in the same window updates that detection (count, last seen)
 * instead of making a new one, and any run that sees the same events, whenever and wherever it
 * runs, finds the same detection.
 *
 * - `windowed` rules (Sigma rules, correlations, native rules that only filter and compute
 *   per event): a window's hits depend only on the events in it, so one query over any range of
 *   whole windows finds all of them, and a recount of a window is exact.
 * - `point` rules (native rules that aggregate, or use `$__from`, `$__to`, `ago()` or `now()`):
 *   what they find depends on when they run, so they are run at points in time, each over its
 *   look-back.
 */
export interface RulePlan {
  mode: 'windowed' | 'point';
  windowMs: number;
  /** One row per hit: the group keys, `window`, `count`, `events`, `firstSeen`, `lastSeen`. */
  hits: string;
  /** The windows that hold events the rule matches (`window`, `events`). */
  touched: string;
  /** The log types its events come from; null for all (`events`). */
  logTypes: string[] | null;
  /** A digest of everything that decides the rule's hits: a change makes new detections. */
  version: string;
}

/** Stages after which each row is still one event. */
const PER_EVENT_STAGES = new Set<Stage['kind']>(['where', 'search', 'project', 'project-away', 'project-rename', 'extend', 'parse', 'mv-expand']);
/** What makes a query's answer depend on when it runs. */
const TIME_OF_RUN = new Set(['__from', '__to', 'ago', 'now']);

export function planOf(rule: DetectionRule): RulePlan {
  const windowMs = rule.windowMs ?? (rule.suppressMs > 0 ? rule.suppressMs : rule.scheduleMs);
  const window = `bin(time, ${timespanLiteral(windowMs)})`;
  const hits = rule.windowMs ? rule.hits : plainHits(rule.events, rule.groupBy, rule.threshold, window);
  const mode = rule.kind === 'native' && !perEvent(rule.events) ? 'point' : 'windowed';
  return {
    mode,
    windowMs,
    hits,
    touched: `${rule.events}\n| summarize events = count() by window = ${window}`,
    logTypes: logTypesOf(rule.table),
    version: digest([
      rule.kind,
      rule.table,
      hits,
      rule.events,
      mode,
      String(windowMs),
      String(rule.lookbackMs),
      rule.completeWindowsOnly ? 'complete' : '',
    ]).slice(0, 16),
  };
}

/** The log types a rule's table reads (the language's tables: `events`, `CloudTrail`, ...). */
function logTypesOf(table: string): string[] | null {
  const logType = tableByName(table)?.logType;
  return logType ? [logType] : null;
}

/** A native query whose rows are events, each decided by itself: no aggregation, no let, no time of run. */
function perEvent(text: string): boolean {
  const query = parseQuery(text);
  return query.lets.length === 0 && query.pipeline.stages.every((s) => PER_EVENT_STAGES.has(s.kind)) && !mentionsTimeOfRun(query.pipeline.stages);
}

function mentionsTimeOfRun(node: unknown): boolean {
  if (Array.isArray(node)) {
    return node.some(mentionsTimeOfRun);
  }
  if (typeof node !== 'object' || node === null) {
    return false;
  }
  const n = node as Record<string, unknown>;
  if ((n.kind === 'variable' || n.kind === 'call') && typeof n.name === 'string' && TIME_OF_RUN.has(n.name.toLowerCase())) {
    return true;
  }
  return Object.values(n).some(mentionsTimeOfRun);
}

/** The identity of a detection: rule, rule version, group keys and window. */
export function fingerprintOf(ruleId: string, version: string, hit: Pick<Hit, 'keys' | 'window'>): string {
  const keys = Object.keys(hit.keys)
    .sort()
    .map((k) => [k, hit.keys[k]]);
  return digest([ruleId, version, JSON.stringify(keys), hit.window ?? '']).slice(0, 32);
}

function digest(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(String(part.length)).update(':').update(part);
  }
  return hash.digest('hex');
}
