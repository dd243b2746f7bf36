import { Random, seedOf } from './random';
import { DAY, MINUTE, toMs } from './time';
import { GENERATED_LOG_TYPES, type GenerateOptions, type GeneratedLogType } from './types';

export class GenerateOptionsError extends Error {}

/** Options with every default applied and checked. */
export interface ResolvedOptions {
  seed: string;
  start: number;
  end: number;
  accounts: string[];
  regions: string[];
  types: GeneratedLogType[];
  /** Background events per type over the whole range. */
  eventsByType: Record<GeneratedLogType, number>;
  fileMs: Record<GeneratedLogType, number>;
  incident: boolean;
  incidentAt: number | null;
  order: 'oldest' | 'newest';
  gzipLevel: number;
}

export const AWS_FILE_MINUTES: Record<GeneratedLogType, number> = { cloudtrail: 5, alb: 5, vpcflow: 10 };
const DEFAULT_MIX: Record<GeneratedLogType, number> = { cloudtrail: 0.25, alb: 0.35, vpcflow: 0.4 };
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const MAX_DAYS = 400;
const MAX_EVENTS = 2_000_000_000;

function fail(message: string): never {
  throw new GenerateOptionsError(message);
}

function time(value: number | string | Date, name: string): number {
  try {
    return toMs(value, name);
  } catch (err) {
    return fail((err as Error).message);
  }
}

export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  if (options.end === undefined) {
    fail('end is required (the generator never reads the clock, so the same options always give the same bucket)');
  }
  const seed = String(options.seed ?? 1);
  const end = Math.floor(time(options.end, 'end') / MINUTE) * MINUTE;
  const days = options.days ?? 30;
  if (options.start === undefined && !(days > 0 && days <= MAX_DAYS)) {
    fail(`days must be a number in (0, ${MAX_DAYS}], got ${days}`);
  }
  const start = options.start === undefined ? end - Math.round(days * DAY) : Math.floor(time(options.start, 'start') / MINUTE) * MINUTE;
  if (start >= end) {
    fail(`start (${new Date(start).toISOString()}) must be before end (${new Date(end).toISOString()})`);
  }
  if (end - start > MAX_DAYS * DAY) {
    fail(`the time range spans ${((end - start) / DAY).toFixed(1)} days; at most ${MAX_DAYS} are supported`);
  }

  const accounts = resolveAccounts(options.accounts ?? 3, seed);
  const regions = options.regions ?? ['us-east-1', 'eu-west-1'];
  if (regions.length === 0 || regions.some((r) => !REGION.test(r))) {
    fail(`regions must be AWS region names such as "us-east-1", got ${JSON.stringify(regions)}`);
  }
  if (new Set(regions).size !== regions.length) {
    fail(`regions must not repeat, got ${JSON.stringify(regions)}`);
  }

  const types = options.types ?? [...GENERATED_LOG_TYPES];
  const unknown = types.filter((t) => !(GENERATED_LOG_TYPES as readonly string[]).includes(t));
  if (types.length === 0 || unknown.length > 0) {
    fail(`types must be some of ${GENERATED_LOG_TYPES.join(', ')}, got ${JSON.stringify(types)}`);
  }

  const total = options.eventsPerDay !== undefined ? (options.eventsPerDay * (end - start)) / DAY : (options.targetEvents ?? 100_000);
  if (!(total >= 0 && total <= MAX_EVENTS)) {
    fail(`the number of events must be between 0 and ${MAX_EVENTS}, got ${total}`);
  }
  const mix = { ...DEFAULT_MIX, ...options.mix };
  const weights = types.map((t) => mix[t]);
  if (weights.some((w) => !(w >= 0)) || weights.every((w) => w === 0)) {
    fail(`mix must give non-negative shares, not all zero, to the chosen types, got ${JSON.stringify(options.mix)}`);
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const eventsByType = Object.fromEntries(GENERATED_LOG_TYPES.map((t) => [t, types.includes(t) ? (total * mix[t]) / weightSum : 0])) as Record<
    GeneratedLogType,
    number
  >;

  const fileMs = Object.fromEntries(
    GENERATED_LOG_TYPES.map((t) => {
      const minutes = options.fileMinutes?.[t] ?? AWS_FILE_MINUTES[t];
      if (!Number.isInteger(minutes) || minutes <= 0 || 1440 % minutes !== 0) {
        fail(`fileMinutes.${t} must be a whole number of minutes that divides a day (5, 10, 60, ...), got ${minutes}`);
      }
      return [t, minutes * MINUTE];
    })
  ) as Record<GeneratedLogType, number>;

  const incident = options.incident ?? true;
  let incidentAt: number | null = null;
  if (incident) {
    incidentAt = resolveIncidentTime(options.incidentAt, start, end, seed);
    if (!regions.includes('us-east-1')) {
      fail(
        'the incident needs us-east-1 among the regions: CloudTrail logs IAM calls (CreateAccessKey, AttachUserPolicy) there; add it, or turn the incident off (incident: false, --no-incident)'
      );
    }
  }

  const order = options.order ?? 'oldest';
  if (order !== 'oldest' && order !== 'newest') {
    fail(`order must be "oldest" or "newest", got ${JSON.stringify(order)}`);
  }
  const gzipLevel = options.gzipLevel ?? 6;
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) {
    fail(`gzipLevel must be a whole number from 1 to 9, got ${gzipLevel}`);
  }
  return { seed, start, end, accounts, regions, types, eventsByType, fileMs, incident, incidentAt, order, gzipLevel };
}

function resolveAccounts(accounts: number | string[], seed: string): string[] {
  if (Array.isArray(accounts)) {
    const bad = accounts.find((a) => !/^\d{12}$/.test(a));
    if (accounts.length === 0 || bad !== undefined) {
      fail(`accounts must be 12-digit AWS account IDs, got ${JSON.stringify(bad ?? accounts)}`);
    }
    if (new Set(accounts).size !== accounts.length) {
      fail(`accounts must not repeat, got ${JSON.stringify(accounts)}`);
    }
    return accounts;
  }
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 50) {
    fail(`accounts must be a whole number from 1 to 50 or a list of account IDs, got ${accounts}`);
  }
  const random = new Random(seedOf(seed, 'accounts'));
  const ids = new Set<string>();
  while (ids.size < accounts) {
    ids.add(String(random.int(1, 9)) + random.chars(11, '0123456789'));
  }
  return [...ids];
}

/** The incident needs 45 minutes before the SSRF and two hours after it inside the range. */
export const INCIDENT_LEAD = 45 * MINUTE;
export const INCIDENT_TAIL = 2 * 60 * MINUTE;

function resolveIncidentTime(value: GenerateOptions['incidentAt'], start: number, end: number, seed: string): number {
  const earliest = start + INCIDENT_LEAD;
  const latest = end - INCIDENT_TAIL;
  if (latest < earliest) {
    fail(
      `the incident needs a time range of at least ${(INCIDENT_LEAD + INCIDENT_TAIL) / MINUTE} minutes; turn the incident off (incident: false, --no-incident) for shorter ranges`
    );
  }
  if (value !== undefined) {
    const at = Math.floor(time(value, 'incidentAt') / 1000) * 1000;
    if (at < earliest || at > latest) {
      fail(
        `incidentAt must leave 45 minutes before and 2 hours after it inside the range: between ${new Date(earliest).toISOString()} and ${new Date(latest).toISOString()}`
      );
    }
    return at;
  }
  const random = new Random(seedOf(seed, 'incident-time'));
  const at = start + (end - start) * (0.8 + 0.1 * random.next()) + random.int(0, 59) * 1000;
  return Math.min(latest, Math.max(earliest, Math.floor(at / 1000) * 1000));
}
