import { errorMessage, type Logger } from '../log';
import type { RuleEvaluator } from './evaluate';
import type { RuleSet } from './ruleSet';
import type { RuleRunRepository, RunStart } from './runs';
import type { RuleSettingsRepository } from './settings';
import type { DetectionRule } from './types';
import type { DetectionWriter } from './writer';

export interface SchedulerOptions {
  /** This sidecar, in run claims. */
  owner: string;
  /** How often it looks for rules due to run. */
  tickMs: number;
  /** Received time this recent is not checked yet: events still being inserted may carry it. */
  settleMs: number;
  /** Each window of received time starts this long before the previous one ended. */
  overlapMs: number;
}

export const SCHEDULER_DEFAULTS: Omit<SchedulerOptions, 'owner'> = {
  tickMs: 15_000,
  settleMs: 30_000,
  overlapMs: 5 * 60_000,
};

export interface CycleReport {
  /** Rules whose next window had come. */
  due: number;
  /** Of those, the runs this sidecar did (the others: claimed by another sidecar, or nothing to check). */
  ran: number;
  claimedElsewhere: number;
  failed: number;
  hits: number;
  created: number;
}

interface DueRun {
  rule: DetectionRule;
  run: RunStart;
}

/**
 * Runs each enabled rule on its schedule over the events by the time they were received, so late
 * and backfilled events are checked when they land (the retro-hunt of a backfill needs nothing
 * else). A rule's cursor is the received time its runs have checked up to; a run covers
 * [cursor - overlap, end), where end is the latest multiple of the rule's schedule before now -
 * settle. Counts are per whole window of event time (plan.ts), so an overlap or a second run
 * finds the same detections, and a detection's fingerprint keeps it stored once.
 *
 * With several sidecars on one store, each run is claimed (rule_runs, runs.ts): sidecars compute
 * the same end for a rule, so the same run id, and only the first claim is kept.
 */
export class DetectionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private cycleInFlight: Promise<CycleReport> | undefined;
  private readonly options: SchedulerOptions;
  private readonly clock: () => number;

  constructor(
    private readonly deps: {
      rules: RuleSet;
      evaluator: RuleEvaluator;
      writer: DetectionWriter;
      runs: RuleRunRepository;
      settings: RuleSettingsRepository;
      log: Logger;
      clock?: () => number;
    },
    options: Partial<SchedulerOptions> & { owner: string }
  ) {
    this.options = { ...SCHEDULER_DEFAULTS, ...options };
    this.clock = deps.clock ?? Date.now;
  }

  start(): void {
    if (this.timer) {
      return;
    }
    const tick = () => {
      this.cycle().catch((err) => this.deps.log.error({ err: errorMessage(err) }, 'detection cycle failed'));
    };
    this.timer = setInterval(tick, this.options.tickMs);
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.cycleInFlight?.catch(() => undefined);
  }

  /**
   * Runs every rule whose next window has come; `now` decides which. `force` runs every rule up to
   * now - settle without waiting for its schedule (an unaligned window end: sidecars forcing at
   * different times may both check a window, which finds the same detections).
   */
  cycle(options: { now?: number; force?: boolean } = {}): Promise<CycleReport> {
    if (this.cycleInFlight) {
      return this.cycleInFlight;
    }
    this.cycleInFlight = this.runCycle(options.now ?? this.clock(), options.force ?? false).finally(() => {
      this.cycleInFlight = undefined;
    });
    return this.cycleInFlight;
  }

  private async runCycle(now: number, force: boolean): Promise<CycleReport> {
    const report: CycleReport = { due: 0, ran: 0, claimedElsewhere: 0, failed: 0, hits: 0, created: 0 };
    const settings = await this.deps.settings.all();
    const rules = this.deps.rules.standalone().filter((r) => settings.get(r.id)?.enabled !== false);
    const cursors = await this.deps.runs.cursors();
    const due = rules.map((rule) => this.dueRun(rule, cursors.get(rule.id), now, force)).filter((d): d is DueRun => d !== undefined);
    report.due = due.length;
    if (due.length === 0) {
      return report;
    }
    const extent = await this.deps.evaluator.receivedExtent({
      from: Math.min(...due.map((d) => d.run.from)),
      to: Math.max(...due.map((d) => d.run.to)),
    });
    const idle: DueRun[] = [];
    for (const d of due) {
      const plan = this.deps.rules.plan(d.rule);
      const quiet = plan.mode === 'windowed' && (plan.logTypes ? plan.logTypes.every((t) => !extent.has(t)) : extent.size === 0);
      if (quiet) {
        idle.push(d);
        continue;
      }
      d.run.startedAt = this.clock();
      if (!(await this.deps.runs.claim(d.run))) {
        report.claimedElsewhere++;
        continue;
      }
      report.ran++;
      try {
        const evaluation = await this.deps.evaluator.receivedHits(d.rule, plan, { from: d.run.from, to: d.run.to }, extent);
        const written = await this.deps.writer.write(d.rule, plan, evaluation.hits, d.run.to, this.clock());
        report.hits += written.hits;
        report.created += written.created.length;
        await this.deps.runs.finish(d.run, {
          state: 'done',
          hits: written.hits,
          newDetections: written.created.length,
          error: evaluation.notes.join('; '),
          finishedAt: this.clock(),
        });
        if (written.created.length > 0) {
          this.deps.log.info({ rule: d.rule.id, detections: written.created.length, hits: written.hits }, 'rule found new detections');
        }
      } catch (err) {
        report.failed++;
        this.deps.log.warn({ rule: d.rule.id, err: errorMessage(err) }, 'rule run failed');
        await this.deps.runs.finish(d.run, {
          state: 'failed',
          hits: 0,
          newDetections: 0,
          error: errorMessage(err),
          finishedAt: this.clock(),
        });
      }
    }
    // Nothing of their log types was received: the window is done without a query (and without a
    // claim: two sidecars recording it both record the same), in no time.
    const finishedAt = this.clock();
    await this.deps.runs.finishAll(
      idle.map((d) => ({ ...d.run, startedAt: finishedAt })),
      { state: 'done', hits: 0, newDetections: 0, error: '', finishedAt }
    );
    return report;
  }

  /** The rule's next window, when it has come: [cursor - overlap, end), widened for rules that wait for complete windows. */
  private dueRun(rule: DetectionRule, cursor: number | undefined, now: number, force: boolean): DueRun | undefined {
    const plan = this.deps.rules.plan(rule);
    const settled = now - this.options.settleMs;
    const to = force ? settled : Math.floor(settled / rule.scheduleMs) * rule.scheduleMs;
    if (cursor !== undefined && cursor >= to) {
      return undefined;
    }
    // A rule that only reports complete windows looks again at what it saw one window and
    // schedule ago, so a window that was still open then is counted once it has closed.
    const reach = rule.completeWindowsOnly ? plan.windowMs + rule.scheduleMs : 0;
    const from = (cursor ?? to - rule.scheduleMs) - this.options.overlapMs - reach;
    return {
      rule,
      run: {
        ruleId: rule.id,
        runId: `scheduled:${to}`,
        kind: 'scheduled',
        ruleVersion: plan.version,
        owner: this.options.owner,
        from,
        to,
        startedAt: this.clock(),
      },
    };
  }
}
