import { parseTimespan } from '../query/timespan';
import { RuleSyntaxError } from './errors';
import { BOUND_OPS, SEVERITIES, type Bound, type BoundOp, type Severity } from './types';

/** What every rule says about itself. */
export interface RuleMeta {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  tags: string[];
  references: string[];
  falsePositives: string[];
}

/** How a rule is run: Lookback's own keys, the same in Sigma and native rules. */
export interface RunOptions {
  scheduleMs: number;
  lookbackMs: number;
  suppressMs: number;
  threshold: Bound[];
  /** Field names the hits are grouped by. */
  groupBy: string[];
}

export const DEFAULTS = { scheduleMs: 5 * 60_000, lookbackMs: 15 * 60_000, suppressMs: 60 * 60_000 };
const MIN_SCHEDULE_MS = 10_000;
const MAX_SPAN_MS = 366 * 24 * 3600_000;
const MAX_TITLE = 256;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export type Doc = Record<string, unknown>;

export function isMap(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(doc: Doc, key: string, required: boolean): string {
  const value = doc[key];
  if (value === undefined || value === null) {
    if (required) {
      throw new RuleSyntaxError(key, 'is missing');
    }
    return '';
  }
  if (typeof value !== 'string') {
    throw new RuleSyntaxError(key, `must be text, not ${describe(value)}`);
  }
  return value;
}

export function textList(doc: Doc, key: string): string[] {
  const value = doc[key];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new RuleSyntaxError(key, 'must be a list of text');
  }
  return value.map(String);
}

/** Title, id, description, level/severity, tags, references, false positives. */
export function ruleMeta(doc: Doc, fallbackId: string, severityKey: 'level' | 'severity'): RuleMeta {
  const title = text(doc, 'title', true);
  if (title.length > MAX_TITLE) {
    throw new RuleSyntaxError('title', `is longer than ${MAX_TITLE} characters`);
  }
  const id = text(doc, 'id', false) || fallbackId;
  if (!ID.test(id)) {
    throw new RuleSyntaxError('id', `${JSON.stringify(id)} is not an id: letters, digits and _ . : - (a UUID, or a name such as aws.root-login), at most 128`);
  }
  const level = text(doc, severityKey, false).toLowerCase() || 'medium';
  if (!(SEVERITIES as readonly string[]).includes(level)) {
    throw new RuleSyntaxError(severityKey, `${JSON.stringify(level)} is not one of ${SEVERITIES.join(', ')}`);
  }
  return {
    id,
    title,
    description: text(doc, 'description', false),
    severity: level as Severity,
    tags: textList(doc, 'tags'),
    references: textList(doc, 'references'),
    falsePositives: textList(doc, 'falsepositives'),
  };
}

/** `schedule`, `lookback`, `suppress`, `threshold` and `group-by`, with the defaults given. */
export function runOptions(doc: Doc, defaults: Partial<RunOptions> = {}): RunOptions {
  return {
    scheduleMs: duration(doc, 'schedule', defaults.scheduleMs ?? DEFAULTS.scheduleMs, MIN_SCHEDULE_MS),
    lookbackMs: duration(doc, 'lookback', defaults.lookbackMs ?? DEFAULTS.lookbackMs, 1000),
    suppressMs: duration(doc, 'suppress', defaults.suppressMs ?? DEFAULTS.suppressMs, 0),
    threshold: doc.threshold === undefined ? (defaults.threshold ?? [{ op: 'gte', value: 1 }]) : bounds(doc.threshold, 'threshold'),
    groupBy: doc['group-by'] === undefined ? (defaults.groupBy ?? []) : textList(doc, 'group-by'),
  };
}

function duration(doc: Doc, key: string, fallback: number, min: number): number {
  const value = doc[key];
  if (value === undefined) {
    return fallback;
  }
  if (min === 0 && (value === 0 || value === '0')) {
    return 0;
  }
  const ms = typeof value === 'string' ? parseTimespan(value) : undefined;
  if (ms === undefined) {
    throw new RuleSyntaxError(key, `${JSON.stringify(value)} is not a timespan such as 30s, 5m, 1h or 7d`);
  }
  if (ms < min || ms > MAX_SPAN_MS) {
    throw new RuleSyntaxError(key, `must be from ${min / 1000}s to 366d`);
  }
  return ms;
}

/** A number (at least that many), or a map of Sigma's condition words: `{gt: 10, lte: 20}`. */
export function bounds(value: unknown, construct: string): Bound[] {
  if (typeof value === 'number') {
    return [{ op: 'gte', value: finite(value, construct) }];
  }
  if (!isMap(value) || Object.keys(value).length === 0) {
    throw new RuleSyntaxError(construct, `must be a number or a map of ${Object.keys(BOUND_OPS).join(', ')} to numbers`);
  }
  return Object.entries(value).map(([op, n]) => {
    if (!Object.hasOwn(BOUND_OPS, op)) {
      throw new RuleSyntaxError(construct, `"${op}" is not one of ${Object.keys(BOUND_OPS).join(', ')}`);
    }
    return { op: op as BoundOp, value: finite(n, `${construct}.${op}`) };
  });
}

function finite(value: unknown, construct: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RuleSyntaxError(construct, `${JSON.stringify(value)} is not a number`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}
