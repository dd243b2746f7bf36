import type { Detection } from '../../shared/detections';
import { hitEvents } from './hits';
import { fingerprintOf, type RulePlan } from './plan';
import type { DetectionRecord, DetectionRepository } from './repository';
import type { DetectionRule, Hit } from './types';

/** Where new detections go to be sent (the notifier). */
export interface DetectionOutbox {
  enqueue(detections: Detection[]): Promise<void>;
}

export interface Written {
  hits: number;
  /** Detections this write made (their fingerprints were not stored before). */
  created: Detection[];
}

/**
 * Turns a rule's hits into detections and stores them; those not stored before go to the
 * outbox. Two writers that both take a detection for new hand it to the outbox twice: the
 * outbox claims each delivery once (notify.ts).
 */
export class DetectionWriter {
  constructor(
    private readonly repository: DetectionRepository,
    private readonly outbox: DetectionOutbox | null
  ) {}

  async write(rule: DetectionRule, plan: RulePlan, hits: Hit[], cutoff: number, now: number, notify = true): Promise<Written> {
    const records = hits.map((hit) => recordOf(rule, plan, hit, cutoff));
    const known = await this.repository.known(records.map((r) => r.fingerprint));
    await this.repository.record(records, now);
    const created = records.filter((r) => !known.has(r.fingerprint)).map((r) => detectionOf(r, now));
    if (notify && created.length > 0 && this.outbox) {
      await this.outbox.enqueue(created);
    }
    return { hits: hits.length, created };
  }
}

export function recordOf(rule: DetectionRule, plan: RulePlan, hit: Hit, cutoff: number): DetectionRecord {
  const windowStart = Date.parse(hit.window ?? hit.firstSeen);
  return {
    fingerprint: fingerprintOf(rule.id, plan.version, hit),
    ruleId: rule.id,
    ruleVersion: plan.version,
    title: rule.title,
    severity: rule.severity,
    tags: rule.tags,
    keys: hit.keys,
    windowStart,
    windowEnd: windowStart + plan.windowMs,
    query: hitEvents(rule, hit).query,
    factsVersion: cutoff,
    count: hit.count,
    events: hit.events,
    firstSeen: Date.parse(hit.firstSeen),
    lastSeen: Date.parse(hit.lastSeen),
  };
}

/** A detection as just written: open, nobody has touched it. */
function detectionOf(r: DetectionRecord, now: number): Detection {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    fingerprint: r.fingerprint,
    ruleId: r.ruleId,
    ruleVersion: r.ruleVersion,
    title: r.title,
    severity: r.severity,
    tags: r.tags,
    keys: r.keys,
    window: { from: iso(r.windowStart), to: iso(r.windowEnd) },
    count: r.count,
    events: r.events,
    firstSeen: iso(r.firstSeen),
    lastSeen: iso(r.lastSeen),
    detectedAt: iso(now),
    status: 'open',
    statusBy: '',
    statusAt: null,
    note: '',
    explore: { query: r.query, from: iso(r.firstSeen), to: iso(r.lastSeen + 1) },
  };
}
