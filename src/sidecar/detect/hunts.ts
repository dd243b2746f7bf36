import { randomUUID } from 'node:crypto';
import type { Hunt, HuntState } from '../../shared/detections';
import { errorMessage, type Logger } from '../log';
import type { Store } from '../store/store';
import { toClickHouseTime, toIso } from '../store/time';
import type { RuleEvaluator } from './evaluate';
import type { RuleSet } from './ruleSet';
import type { RuleRunRepository } from './runs';
import type { RuleSettingsRepository } from './settings';
import type { DetectionWriter } from './writer';

/** A hunt request the caller got wrong: which field, and why. */
export class HuntRequestError extends Error {
  constructor(
    readonly field: string,
    reason: string
  ) {
    super(`${field}: ${reason}`);
  }
}

export interface HuntOrder {
  from: number;
  to: number;
  /** Rule ids; empty for every enabled rule. */
  rules: string[];
  notify: boolean;
  by: string;
}

interface HuntRow {
  id: string;
  from_time: string;
  to_time: string;
  rules: string[];
  notify: number;
  requested_by: string;
  owner: string;
  state: string;
  rules_done: number;
  hits: number;
  new_detections: number;
  errors: string;
  created_at: string;
  finished_at: string | null;
}

/** The detection_hunts table: each retro-hunt and how far it got (one row version per rule done). */
export class HuntRepository {
  private lastVersion = 0;

  constructor(private readonly store: Store) {}

  async save(hunt: Hunt, owner: string): Promise<void> {
    this.lastVersion = Math.max(Date.now() * 1000, this.lastVersion + 1);
    await this.store.insertRows('detection_hunts', [
      {
        id: hunt.id,
        from_time: toClickHouseTime(Date.parse(hunt.from)),
        to_time: toClickHouseTime(Date.parse(hunt.to)),
        rules: hunt.rules,
        notify: hunt.notify ? 1 : 0,
        requested_by: hunt.requestedBy,
        owner,
        state: hunt.state,
        rules_done: hunt.rulesDone,
        hits: hunt.hits,
        new_detections: hunt.newDetections,
        errors: JSON.stringify(hunt.errors),
        created_at: toClickHouseTime(Date.parse(hunt.createdAt)),
        finished_at: hunt.finishedAt ? toClickHouseTime(Date.parse(hunt.finishedAt)) : null,
        version: this.lastVersion,
      },
    ]);
  }

  async get(id: string): Promise<Hunt | null> {
    const { rows } = await this.store.query<HuntRow>('SELECT * FROM detection_hunts FINAL WHERE id = {id:String}', { id });
    return rows[0] ? toHunt(rows[0]) : null;
  }

  /** The latest hunts, newest first. */
  async list(limit: number): Promise<Hunt[]> {
    const { rows } = await this.store.query<HuntRow>('SELECT * FROM detection_hunts FINAL ORDER BY created_at DESC, id LIMIT {limit:UInt32}', { limit });
    return rows.map(toHunt);
  }
}

function toHunt(r: HuntRow): Hunt {
  return {
    id: r.id,
    from: toIso(r.from_time),
    to: toIso(r.to_time),
    rules: r.rules,
    notify: Number(r.notify) === 1,
    requestedBy: r.requested_by,
    state: r.state as HuntState,
    rulesDone: Number(r.rules_done),
    hits: Number(r.hits),
    newDetections: Number(r.new_detections),
    errors: JSON.parse(r.errors || '[]') as Hunt['errors'],
    createdAt: toIso(r.created_at),
    finishedAt: r.finished_at ? toIso(r.finished_at) : null,
  };
}

const MAX_RANGE_MS = 366 * 86_400_000;

/**
 * Retro-hunts: rules run on demand over a range of event time, for history a new rule has never
 * seen. Hunts run one after the other in the background; each records its progress after every
 * rule, and each rule's part as a run of that rule (kind `hunt`). Detections are the same as a
 * scheduled run would make (whole windows, same fingerprints), so a hunt over a range the rules
 * already ran on finds nothing new.
 */
export class RetroHunts {
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly clock: () => number;

  constructor(
    private readonly deps: {
      rules: RuleSet;
      evaluator: RuleEvaluator;
      writer: DetectionWriter;
      runs: RuleRunRepository;
      settings: RuleSettingsRepository;
      hunts: HuntRepository;
      log: Logger;
      clock?: () => number;
    },
    private readonly owner: string
  ) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Checks the order, records the hunt and queues it; the hunt as it starts. */
  async start(order: HuntOrder): Promise<Hunt> {
    if (!Number.isFinite(order.from) || !Number.isFinite(order.to) || order.from >= order.to) {
      throw new HuntRequestError('from', 'must be a time before to');
    }
    if (order.to - order.from > MAX_RANGE_MS) {
      throw new HuntRequestError('to', 'a hunt covers at most 366 days');
    }
    const rules = await this.rulesOf(order.rules);
    const now = this.clock();
    const hunt: Hunt = {
      id: `hunt-${randomUUID().slice(0, 13)}`,
      from: new Date(order.from).toISOString(),
      to: new Date(order.to).toISOString(),
      rules,
      notify: order.notify,
      requestedBy: order.by,
      state: 'running',
      rulesDone: 0,
      hits: 0,
      newDetections: 0,
      errors: [],
      createdAt: new Date(now).toISOString(),
      finishedAt: null,
    };
    await this.deps.hunts.save(hunt, this.owner);
    this.queue = this.queue.then(() => this.run(hunt));
    return hunt;
  }

  get(id: string): Promise<Hunt | null> {
    return this.deps.hunts.get(id);
  }

  list(limit: number): Promise<Hunt[]> {
    return this.deps.hunts.list(limit);
  }

  /** Resolves when every queued hunt has ended. */
  async idle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /** Hunts still running end after their current rule, as failed (with how far they got). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** The ids to hunt with: the asked ones (each must be a rule that runs on its own), else every enabled rule. */
  private async rulesOf(ids: string[]): Promise<string[]> {
    const standalone = this.deps.rules.standalone();
    if (ids.length === 0) {
      const settings = await this.deps.settings.all();
      const enabled = standalone.filter((r) => settings.get(r.id)?.enabled !== false).map((r) => r.id);
      if (enabled.length === 0) {
        throw new HuntRequestError('rules', 'no rule is enabled');
      }
      return enabled;
    }
    const unknown = ids.filter((id) => !standalone.some((r) => r.id === id));
    if (unknown.length > 0) {
      throw new HuntRequestError('rules', `no rule that runs on its own has the id ${unknown.map((id) => JSON.stringify(id)).join(', ')}`);
    }
    return [...new Set(ids)];
  }

  private async run(hunt: Hunt): Promise<void> {
    const cutoff = this.clock();
    const range = { from: Date.parse(hunt.from), to: Date.parse(hunt.to) };
    const progress = { ...hunt };
    for (const id of hunt.rules) {
      if (this.stopping) {
        progress.errors.push({ ruleId: id, error: 'not run: the sidecar stopped' });
        continue;
      }
      const rule = this.deps.rules.get(id);
      if (!rule) {
        progress.errors.push({ ruleId: id, error: 'no longer loaded (the rules were reloaded without it)' });
        progress.rulesDone++;
        continue;
      }
      const plan = this.deps.rules.plan(rule);
      const run = {
        ruleId: id,
        runId: `hunt:${hunt.id}`,
        kind: 'hunt' as const,
        ruleVersion: plan.version,
        owner: this.owner,
        ...range,
        startedAt: this.clock(),
      };
      try {
        await this.deps.runs.claim(run);
        const evaluation = await this.deps.evaluator.rangeHits(rule, plan, range, cutoff);
        const written = await this.deps.writer.write(rule, plan, evaluation.hits, cutoff, this.clock(), hunt.notify);
        progress.hits += written.hits;
        progress.newDetections += written.created.length;
        evaluation.notes.forEach((note) => progress.errors.push({ ruleId: id, error: note }));
        await this.deps.runs.finish(run, {
          state: 'done',
          hits: written.hits,
          newDetections: written.created.length,
          error: evaluation.notes.join('; '),
          finishedAt: this.clock(),
        });
      } catch (err) {
        progress.errors.push({ ruleId: id, error: errorMessage(err) });
        await this.deps.runs
          .finish(run, { state: 'failed', hits: 0, newDetections: 0, error: errorMessage(err), finishedAt: this.clock() })
          .catch(() => undefined);
      }
      progress.rulesDone++;
      await this.deps.hunts.save(progress, this.owner).catch((err) => this.deps.log.warn({ hunt: hunt.id, err: errorMessage(err) }, 'hunt progress not saved'));
    }
    progress.state = this.stopping && progress.rulesDone < hunt.rules.length ? 'failed' : 'done';
    progress.finishedAt = new Date(this.clock()).toISOString();
    await this.deps.hunts.save(progress, this.owner).catch((err) => this.deps.log.warn({ hunt: hunt.id, err: errorMessage(err) }, 'hunt end not saved'));
    this.deps.log.info(
      { hunt: hunt.id, rules: hunt.rules.length, hits: progress.hits, detections: progress.newDetections, errors: progress.errors.length },
      'retro-hunt done'
    );
  }
}
