import type { RuleRun, RunKind, RunState } from '../../shared/detections';
import type { Store } from '../store/store';
import { toClickHouseTime, toIso } from '../store/time';

/** A run about to start: a rule over the events received in [from, to) (scheduled), or of event times in [from, to) (hunts). */
export interface RunStart {
  ruleId: string;
  runId: string;
  kind: RunKind;
  ruleVersion: string;
  owner: string;
  from: number;
  to: number;
  startedAt: number;
}

export interface RunOutcome {
  state: Exclude<RunState, 'running'>;
  hits: number;
  newDetections: number;
  error: string;
  finishedAt: number;
}

interface RunRow {
  rule_id: string;
  run_id: string;
  kind: string;
  owner: string;
  range_from: string;
  range_to: string;
  state: string;
  hits: number;
  new_detections: number;
  error: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number;
}

/** The rule_runs table: who runs which window of a rule, how far each rule got, and how its runs went. */
export class RuleRunRepository {
  constructor(private readonly store: Store) {}

  /**
   * Claims a run: its first row goes in with a dedup token of the run id, so of several sidecars
   * claiming the same run only the first insert is kept; reading the row back says whether it is
   * ours. A claim lost to a replica that has not seen the winner's row yet reads as lost too.
   */
  async claim(run: RunStart): Promise<boolean> {
    await this.store.insertRows('rule_runs', [{ ...this.row(run), state: 'running', version: 1 }], `claim:${run.ruleId}:${run.runId}`);
    const { rows } = await this.store.query<{ owner: string }>('SELECT owner FROM rule_runs FINAL WHERE rule_id = {rule:String} AND run_id = {run:String}', {
      rule: run.ruleId,
      run: run.runId,
    });
    return rows.length > 0 && rows.every((r) => r.owner === run.owner);
  }

  async finish(run: RunStart, outcome: RunOutcome): Promise<void> {
    await this.finishAll([run], outcome);
  }

  /** Records that these runs ended alike (one insert). */
  async finishAll(runs: RunStart[], outcome: RunOutcome): Promise<void> {
    await this.store.insertRows(
      'rule_runs',
      runs.map((run) => ({
        ...this.row(run),
        state: outcome.state,
        hits: outcome.hits,
        new_detections: outcome.newDetections,
        error: outcome.error,
        finished_at: toClickHouseTime(outcome.finishedAt),
        duration_ms: Math.max(0, Math.round(outcome.finishedAt - run.startedAt)),
        version: 2,
      }))
    );
  }

  /** Per rule, the received time its scheduled runs have checked up to (the end of its latest finished window). */
  async cursors(): Promise<Map<string, number>> {
    const { rows } = await this.store.query<{ rule_id: string; cursor: string }>(
      `SELECT rule_id, max(range_to) AS cursor FROM rule_runs FINAL WHERE kind = 'scheduled' AND state = 'done' GROUP BY rule_id`
    );
    return new Map(rows.map((r) => [r.rule_id, Date.parse(toIso(r.cursor))]));
  }

  /** Per rule: its latest run, and its latest failed run when no run succeeded since. */
  async latest(): Promise<Map<string, { lastRun: RuleRun; lastError: RuleRun | null }>> {
    const { rows } = await this.store.query<RunRow>('SELECT * FROM rule_runs FINAL ORDER BY started_at DESC, run_id LIMIT 1 BY rule_id, state');
    const byRule = new Map<string, Partial<Record<RunState, RuleRun>>>();
    for (const row of rows) {
      byRule.set(row.rule_id, { ...byRule.get(row.rule_id), [row.state as RunState]: toRun(row) });
    }
    const started = (run: RuleRun | undefined) => (run ? Date.parse(run.startedAt) : -Infinity);
    const latest = new Map<string, { lastRun: RuleRun; lastError: RuleRun | null }>();
    for (const [rule, runs] of byRule) {
      const lastRun = [runs.running, runs.done, runs.failed].filter((r): r is RuleRun => r !== undefined).sort((a, b) => started(b) - started(a))[0];
      const lastError = runs.failed && started(runs.failed) > started(runs.done) ? runs.failed : null;
      latest.set(rule, { lastRun, lastError });
    }
    return latest;
  }

  /** A rule's runs, newest first. */
  async history(ruleId: string, limit: number): Promise<RuleRun[]> {
    const { rows } = await this.store.query<RunRow>(
      'SELECT * FROM rule_runs FINAL WHERE rule_id = {rule:String} ORDER BY started_at DESC, run_id LIMIT {limit:UInt32}',
      { rule: ruleId, limit }
    );
    return rows.map(toRun);
  }

  private row(run: RunStart) {
    return {
      rule_id: run.ruleId,
      run_id: run.runId,
      kind: run.kind,
      rule_version: run.ruleVersion,
      owner: run.owner,
      range_from: toClickHouseTime(run.from),
      range_to: toClickHouseTime(run.to),
      started_at: toClickHouseTime(run.startedAt),
    };
  }
}

function toRun(row: RunRow): RuleRun {
  return {
    runId: row.run_id,
    kind: row.kind as RunKind,
    state: row.state as RunState,
    owner: row.owner,
    from: toIso(row.range_from),
    to: toIso(row.range_to),
    startedAt: toIso(row.started_at),
    finishedAt: row.finished_at ? toIso(row.finished_at) : null,
    durationMs: Number(row.duration_ms),
    hits: Number(row.hits),
    newDetections: Number(row.new_detections),
    error: row.error,
  };
}
