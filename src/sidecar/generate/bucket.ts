import { resolveOptions, type ResolvedOptions } from './options';
import { BucketPlan, plannedObject } from './plan';
import { utcDay } from './time';
import type { BucketSummary, DaySummary, GenerateOptions, GeneratedObject, IncidentFacts, PlannedObject, TypeCounts } from './types';

/** A generated bucket: what it holds, known up front, and its objects written one at a time. */
export interface Bucket {
  options: ResolvedOptions;
  /** What was planted, or null without an incident. */
  incident: IncidentFacts | null;
  /** Every object's key and event counts, without writing a body. */
  planned(): Generator<PlannedObject>;
  /** Every object with its gzipped body, one at a time, so memory stays bounded at any volume. */
  objects(): Generator<GeneratedObject>;
  /** Objects and events per type and per day, from the plan. */
  summary(): BucketSummary;
}

export function createBucket(options: GenerateOptions): Bucket {
  const plan = new BucketPlan(resolveOptions(options));
  return {
    options: plan.options,
    incident: plan.incident?.facts ?? null,
    *planned() {
      for (const entry of plan.entries()) {
        yield plannedObject(entry);
      }
    },
    *objects() {
      for (const entry of plan.entries()) {
        yield plan.render(entry);
      }
    },
    summary() {
      return summarize(plan.options, this.planned(), plan.incident?.facts ?? null);
    },
  };
}

/** The objects of a bucket, written as AWS writes them, one at a time. */
export function generateBucket(options: GenerateOptions): Generator<GeneratedObject> {
  return createBucket(options).objects();
}

/** Objects and events per type and day of a bucket, without writing its bodies. */
export function summarizeBucket(options: GenerateOptions): BucketSummary {
  return createBucket(options).summary();
}

function add(counts: Partial<Record<string, TypeCounts>>, type: string, events: number): void {
  const c = (counts[type] ??= { objects: 0, events: 0 });
  c.objects++;
  c.events += events;
}

function summarize(options: ResolvedOptions, objects: Iterable<PlannedObject>, incident: IncidentFacts | null): BucketSummary {
  const summary: BucketSummary = {
    seed: options.seed,
    start: new Date(options.start).toISOString(),
    end: new Date(options.end).toISOString(),
    accounts: options.accounts,
    regions: options.regions,
    types: options.types,
    objects: 0,
    events: 0,
    byType: {},
    byDay: [],
    incident,
  };
  const days = new Map<string, DaySummary>();
  for (const o of objects) {
    summary.objects++;
    summary.events += o.events;
    add(summary.byType, o.logType, o.events);
    const day = utcDay(o.windowStart);
    let d = days.get(day);
    if (!d) {
      d = { day, objects: 0, events: 0, byType: {} };
      days.set(day, d);
    }
    d.objects++;
    d.events += o.events;
    add(d.byType, o.logType, o.events);
  }
  summary.byDay = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  return summary;
}
