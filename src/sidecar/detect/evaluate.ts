import { DEFAULT_LIMITS, execute, type QueryLimits } from '../query/execute';
import type { Store } from '../store/store';
import { toClickHouseTime, toIso } from '../store/time';
import { compileRuleQuery } from './compile';
import type { RulePlan } from './plan';
import { MAX_HITS, runHits, runRange, type RunRange } from './run';
import type { DetectionRule, Hit } from './types';

/** The event times of the events received in a window, per log type. */
export type ReceivedExtent = Map<string, { from: number; to: number; events: number }>;

/** What a rule found: hits (every one with its window), and what was cut or left out. */
export interface Evaluation {
  hits: Hit[];
  /** Why some hits may be missing (a query hit its row limit, a retro-hunt was cut). */
  notes: string[];
}

export interface EvaluatorOptions {
  limits?: QueryLimits;
  maxHits?: number;
  /** Touched windows further apart than this are recounted by queries of their own. */
  spanGapMs?: number;
  /** Points in time a point rule is run at in one scheduled run; further back ones are left to a retro-hunt. */
  maxScheduledSteps?: number;
  /** Points in time a retro-hunt runs a point rule at, at most. */
  maxHuntSteps?: number;
  /** Event time one query of a retro-hunt covers at most (windowed rules), at least one window; a query with too many hits is split further. */
  huntChunkMs?: number;
}

const DAY = 86_400_000;
const MAX_TOUCHED = 100_000;

/**
 * Runs rules: over the events received in a window (scheduled runs, so late and backfilled
 * events are checked when they land) or over a range of event time (retro-hunts). Counts are
 * always over whole windows (plan.ts), so whichever run counts a window, and however often, the
 * detection it makes is the same.
 */
export class RuleEvaluator {
  private readonly options: Required<EvaluatorOptions>;

  constructor(
    private readonly store: Store,
    options: EvaluatorOptions = {}
  ) {
    this.options = {
      limits: DEFAULT_LIMITS,
      maxHits: MAX_HITS,
      spanGapMs: 7 * DAY,
      maxScheduledSteps: 2000,
      maxHuntSteps: 10_000,
      huntChunkMs: 31 * DAY,
      ...options,
    };
  }

  /** Per log type, the event times of the events received in [from, to): one query for every rule of a cycle. */
  async receivedExtent(received: RunRange): Promise<ReceivedExtent> {
    const { rows } = await this.store.query<{ log_type: string; min_time: string; max_time: string; events: number }>(
      `SELECT log_type, min(time) AS min_time, max(time) AS max_time, count() AS events FROM events
       WHERE received_at >= {from:DateTime64(3, 'UTC')} AND received_at < {to:DateTime64(3, 'UTC')} GROUP BY log_type`,
      { from: toClickHouseTime(received.from), to: toClickHouseTime(received.to) }
    );
    return new Map(rows.map((r) => [r.log_type, { from: Date.parse(toIso(r.min_time)), to: Date.parse(toIso(r.max_time)), events: Number(r.events) }]));
  }

  /**
   * A scheduled run: the hits of the windows that hold events the rule matches among those
   * received in `received`, each window counted whole over everything received before
   * `received.to`. Point rules run at `received.to`, and at the earlier points whose look-back
   * holds newly received events.
   */
  async receivedHits(rule: DetectionRule, plan: RulePlan, received: RunRange, extent: ReceivedExtent): Promise<Evaluation> {
    const span = extentOf(plan, extent);
    const cutoff = received.to;
    if (plan.mode === 'point') {
      const steps = span ? pointSteps(rule, span.from, Math.min(span.to + rule.lookbackMs, cutoff), cutoff) : [];
      const kept = steps.slice(-this.options.maxScheduledSteps);
      const notes =
        kept.length < steps.length
          ? [
              `newly received events reach back ${steps.length} runs of ${rule.id}; the oldest ${steps.length - kept.length} were left out: run a retro-hunt from ${new Date(steps[0] - rule.lookbackMs).toISOString()}`,
            ]
          : [];
      return this.atPoints(rule, plan, [...kept.filter((t) => t < cutoff), cutoff], cutoff, notes);
    }
    if (!span) {
      return { hits: [], notes: [] };
    }
    const compiled = compileRuleQuery(plan.touched, { from: span.from, to: span.to + 1 }, MAX_TOUCHED, received);
    const result = await execute<{ window: string }>(this.store, compiled.sql, compiled.params, this.options.limits, MAX_TOUCHED + 1);
    const notes = result.rows.length > MAX_TOUCHED ? [`more than ${MAX_TOUCHED} windows got events; the rest were not counted`] : [];
    const windows = [...new Set(result.rows.slice(0, MAX_TOUCHED).map((r) => Date.parse(toIso(String(r.window)))))]
      .filter((w) => !rule.completeWindowsOnly || w + plan.windowMs <= cutoff)
      .sort((a, b) => a - b);
    const wanted = new Set(windows);
    const counted = await this.count(rule, plan, spansOf(windows, plan.windowMs, this.options.spanGapMs), cutoff, (w) => wanted.has(w));
    return { hits: counted.hits, notes: [...notes, ...counted.notes] };
  }

  /** A retro-hunt: the hits of every window that overlaps [from, to), counting the events received before `cutoff`. */
  async rangeHits(rule: DetectionRule, plan: RulePlan, range: RunRange, cutoff: number): Promise<Evaluation> {
    if (plan.mode === 'point') {
      const steps = pointSteps(rule, range.from, range.to, cutoff);
      if (steps.length > this.options.maxHuntSteps) {
        return {
          hits: [],
          notes: [
            `${rule.id} runs every ${rule.scheduleMs / 60_000} min over its look-back: ${steps.length} runs cover this range, more than ${this.options.maxHuntSteps}; hunt a shorter range`,
          ],
        };
      }
      return this.atPoints(rule, plan, steps, cutoff, []);
    }
    const w = plan.windowMs;
    const chunk = Math.max(w, Math.floor(this.options.huntChunkMs / w) * w);
    const spans: RunRange[] = [];
    for (let t = Math.floor(range.from / w) * w; t < range.to; t += chunk) {
      spans.push({ from: t, to: Math.min(t + chunk, Math.ceil(range.to / w) * w) });
    }
    return this.count(rule, plan, spans, cutoff, (window) => !rule.completeWindowsOnly || window + w <= cutoff);
  }

  /**
   * Counts the hits of whole windows over these spans of event time, keeping those of the windows
   * `keep` wants. A span with more hits than a query returns is counted again in halves.
   */
  private async count(rule: DetectionRule, plan: RulePlan, spans: RunRange[], cutoff: number, keep: (window: number) => boolean): Promise<Evaluation> {
    const hits: Hit[] = [];
    const notes: string[] = [];
    const todo = [...spans];
    while (todo.length > 0) {
      const span = todo.shift() as RunRange;
      const run = await runHits(this.store, plan.hits, rule.groupBy, span, {
        windowed: true,
        maxHits: this.options.maxHits,
        limits: this.options.limits,
        received: { from: 0, to: cutoff },
      });
      const windows = Math.round((span.to - span.from) / plan.windowMs);
      if (run.truncated && windows > 1) {
        const middle = span.from + Math.floor(windows / 2) * plan.windowMs;
        todo.unshift({ from: span.from, to: middle }, { from: middle, to: span.to });
        continue;
      }
      hits.push(...run.hits.filter((h) => keep(Date.parse(h.window ?? ''))));
      if (run.truncated) {
        notes.push(`more than ${this.options.maxHits} hits in the window from ${new Date(span.from).toISOString()}; the rest were not read`);
      }
    }
    return { hits, notes };
  }

  /** Runs a point rule at each of these times over its look-back; a hit found at several keeps its largest count. */
  private async atPoints(rule: DetectionRule, plan: RulePlan, points: number[], cutoff: number, notes: string[]): Promise<Evaluation> {
    const found = new Map<string, Hit>();
    for (const at of points) {
      const run = await runHits(this.store, plan.hits, rule.groupBy, runRange(rule, at), {
        windowed: true,
        maxHits: this.options.maxHits,
        limits: this.options.limits,
        received: { from: 0, to: cutoff },
      });
      for (const hit of run.hits) {
        const key = JSON.stringify([hit.keys, hit.window]);
        const seen = found.get(key);
        if (!seen || hit.count >= seen.count) {
          found.set(key, hit);
        }
      }
      if (run.truncated) {
        notes.push(`more than ${this.options.maxHits} hits at ${new Date(at).toISOString()}; the rest were not read`);
      }
    }
    return { hits: [...found.values()], notes };
  }
}

/** The event times a plan's log types got, all of them together; undefined when they got nothing. */
function extentOf(plan: RulePlan, extent: ReceivedExtent): RunRange | undefined {
  const parts = plan.logTypes ? plan.logTypes.map((t) => extent.get(t)).filter((e) => e !== undefined) : [...extent.values()];
  if (parts.length === 0) {
    return undefined;
  }
  return { from: Math.min(...parts.map((p) => p.from)), to: Math.max(...parts.map((p) => p.to)) };
}

/** The times a point rule runs at to cover events in [from, to]: multiples of its schedule, none after `cutoff`. */
function pointSteps(rule: DetectionRule, from: number, to: number, cutoff: number): number[] {
  const steps: number[] = [];
  const s = rule.scheduleMs;
  for (let t = Math.ceil(from / s) * s; t <= Math.min(Math.ceil(to / s) * s, cutoff); t += s) {
    steps.push(t);
  }
  return steps;
}

/** Ranges of event time that cover these sorted windows: neighbours share a query unless far apart. */
function spansOf(windows: number[], width: number, gap: number): RunRange[] {
  const spans: RunRange[] = [];
  for (const w of windows) {
    const last = spans[spans.length - 1];
    if (last && w - last.to <= gap) {
      last.to = w + width;
    } else {
      spans.push({ from: w, to: w + width });
    }
  }
  return spans;
}
