import type {
  Delivery,
  DeliveryList,
  DeliveryState,
  Detection,
  DetectionList,
  DetectionStatusChange,
  Hunt,
  RuleRun,
  RulesResponse,
  RuleSummary,
} from '../../shared/detections';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { RuleEvaluator } from './evaluate';
import { HuntRepository, HuntRequestError, RetroHunts, type HuntOrder } from './hunts';
import { DeliveryRepository } from './notify/deliveries';
import { Notifier } from './notify/notifier';
import type { ChannelConfig, LinkOptions } from './notify/channels';
import { DetectionRepository, type DetectionFilter } from './repository';
import { RuleSet } from './ruleSet';
import { RuleRunRepository } from './runs';
import { DetectionScheduler } from './scheduler';
import { RuleSettingsRepository } from './settings';
import { DetectionWriter } from './writer';

export interface DetectionServiceOptions {
  /** Runs rules on their schedule (false: detections, rules and hunts are still served). */
  schedule: boolean;
  /** This sidecar, in run and delivery claims. */
  owner: string;
  tickMs: number;
  settleMs: number;
  channels: ChannelConfig[];
  links: LinkOptions;
}

/**
 * Detection as one service: the rules of the sidecar's rule paths, the scheduler that runs them,
 * the retro-hunts, the notifier, and the reads and changes the API serves. Built by sidecar.ts on
 * the sidecar's store.
 */
export class DetectionService {
  readonly rules: RuleSet;
  readonly scheduler: DetectionScheduler;
  readonly hunts: RetroHunts;
  readonly notifier: Notifier;
  private readonly detections: DetectionRepository;
  private readonly runs: RuleRunRepository;
  private readonly settings: RuleSettingsRepository;
  private readonly deliveries: DeliveryRepository;

  constructor(
    store: Store,
    rules: RuleSet,
    private readonly log: Logger,
    private readonly options: DetectionServiceOptions
  ) {
    this.rules = rules;
    this.detections = new DetectionRepository(store);
    this.runs = new RuleRunRepository(store);
    this.settings = new RuleSettingsRepository(store);
    this.deliveries = new DeliveryRepository(store);
    this.notifier = new Notifier(
      { channels: options.channels, deliveries: this.deliveries, detections: this.detections, log },
      { owner: options.owner, links: options.links }
    );
    const evaluator = new RuleEvaluator(store);
    const writer = new DetectionWriter(this.detections, options.channels.length > 0 ? this.notifier : null);
    const deps = { rules, evaluator, writer, runs: this.runs, settings: this.settings, log };
    this.scheduler = new DetectionScheduler(deps, { owner: options.owner, tickMs: options.tickMs, settleMs: options.settleMs });
    this.hunts = new RetroHunts({ ...deps, hunts: new HuntRepository(store) }, options.owner);
  }

  /** Loads the rules (those that do not load are logged and listed by `rules()`), then starts the schedule and the notifier. */
  start(): void {
    const loaded = this.rules.load();
    for (const error of loaded.errors) {
      this.log.warn({ file: error.file, rule: error.rule, construct: error.construct, reason: error.reason }, 'rule not loaded');
    }
    this.log.info({ rules: this.rules.standalone().length, refused: loaded.errors.length, scheduled: this.options.schedule }, 'detection rules loaded');
    this.notifier.start();
    if (this.options.schedule) {
      this.scheduler.start();
    }
  }

  /** Stops the schedule, lets running hunts end after their current rule, then stops sending. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.hunts.stop();
    await this.notifier.stop();
  }

  async listRules(): Promise<RulesResponse> {
    const [settings, latest, counts] = await Promise.all([this.settings.all(), this.runs.latest(), this.detections.countsByRule()]);
    const rules: RuleSummary[] = this.rules.all().map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      kind: r.kind,
      file: r.file,
      severity: r.severity,
      tags: r.tags,
      table: r.table,
      scheduleMs: r.scheduleMs,
      lookbackMs: r.lookbackMs,
      suppressMs: r.suppressMs,
      standalone: r.standalone,
      enabled: settings.get(r.id)?.enabled !== false,
      enabledBy: settings.get(r.id)?.by ?? '',
      warnings: r.warnings,
      lastRun: latest.get(r.id)?.lastRun ?? null,
      lastError: latest.get(r.id)?.lastError ?? null,
      detections: counts.get(r.id) ?? { open: 0, total: 0 },
    }));
    const errors = this.rules.loadErrors().map((e) => ({ file: e.file, rule: e.rule, construct: e.construct, reason: e.reason, message: e.message }));
    return { rules, errors };
  }

  async getRule(id: string): Promise<RuleSummary | undefined> {
    return (await this.listRules()).rules.find((r) => r.id === id);
  }

  /** Enables or disables a rule on every sidecar of the store; undefined for an unknown rule. */
  async setEnabled(id: string, enabled: boolean, by: string): Promise<RuleSummary | undefined> {
    if (!this.rules.get(id)) {
      return undefined;
    }
    await this.settings.set(id, { enabled, by }, Date.now());
    return this.getRule(id);
  }

  ruleRuns(id: string, limit: number): Promise<RuleRun[]> {
    return this.runs.history(id, limit);
  }

  listDetections(filter: DetectionFilter): Promise<DetectionList> {
    return this.detections.list(filter);
  }

  getDetection(fingerprint: string): Promise<Detection | null> {
    return this.detections.get(fingerprint);
  }

  setStatus(fingerprint: string, change: Required<Omit<DetectionStatusChange, 'note'>> & { note: string }): Promise<Detection | null> {
    return this.detections.setStatus(fingerprint, change, Date.now());
  }

  /** Starts a retro-hunt; a request it cannot run is the field at fault and why. */
  async startHunt(order: HuntOrder): Promise<Hunt | { field: string; message: string }> {
    try {
      return await this.hunts.start(order);
    } catch (err) {
      if (err instanceof HuntRequestError) {
        return { field: err.field, message: err.message.slice(err.field.length + 2) };
      }
      throw err;
    }
  }

  getHunt(id: string): Promise<Hunt | null> {
    return this.hunts.get(id);
  }

  listHunts(limit: number): Promise<Hunt[]> {
    return this.hunts.list(limit);
  }

  async listDeliveries(options: { states?: DeliveryState[]; fingerprint?: string; limit: number }): Promise<DeliveryList> {
    const deliveries: Delivery[] = await this.deliveries.list(options);
    return { deliveries, channels: this.options.channels.map((c) => ({ name: c.name, type: c.type, minSeverity: c.minSeverity })) };
  }
}
