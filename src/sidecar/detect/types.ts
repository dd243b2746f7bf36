import type { Severity } from '../../shared/detections';

export { SEVERITIES, type Severity } from '../../shared/detections';

/** Comparisons of a hit's count with a bound, as Sigma's correlation conditions write them. */
export const BOUND_OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;
export type BoundOp = keyof typeof BOUND_OPS;

export interface Bound {
  op: BoundOp;
  value: number;
}

/** A key a rule's hits are grouped by. */
export interface GroupKey {
  /** The column of the hits query that holds it: the field or alias name the rule wrote. */
  name: string;
  /** The key as a language expression over the rule's events query, to select one hit's events. */
  expr: string;
}

export type RuleKind = 'sigma' | 'correlation' | 'native';

/** Columns every hits query returns besides the group keys (`window` only for correlations). */
export const HIT_COLUMNS = ['window', 'count', 'events', 'firstSeen', 'lastSeen'] as const;

/** A detection rule, Sigma or native, compiled to queries of the pipeline language. */
export interface DetectionRule {
  id: string;
  title: string;
  description: string;
  kind: RuleKind;
  /** The file it was read from. */
  file: string;
  severity: Severity;
  /** Sigma-style tags, ATT&CK among them: `attack.t1078.004`, `attack.initial-access`. */
  tags: string[];
  references: string[];
  falsePositives: string[];
  /** The table its events come from: `events` for a correlation over several log types. */
  table: string;
  /** Selects the events the rule matches: what Explore shows for one of its detections. */
  events: string;
  /** One row per hit: the group keys, then `window` (correlations), `count`, `events`, `firstSeen`, `lastSeen`. */
  hits: string;
  groupBy: GroupKey[];
  /** Correlations: the width of a window (hits are counted per window, aligned to the epoch). */
  windowMs: number | null;
  /** What the count of a group must satisfy to make a hit (all of them). */
  threshold: Bound[];
  /** Only windows that have ended may make a hit: the threshold has an upper bound a growing count could still break. */
  completeWindowsOnly: boolean;
  scheduleMs: number;
  lookbackMs: number;
  /** A group that made a hit is not reported again for this long. */
  suppressMs: number;
  /** False for a Sigma rule that only feeds correlations (unless the correlation says `generate: true`). */
  standalone: boolean;
  /** Where the translation may differ from the rule's intent. */
  warnings: string[];
}

/** One row of a rule's hits query. */
export interface Hit {
  keys: Record<string, string>;
  /** Start of the correlation window (ISO 8601); null for other rules. */
  window: string | null;
  /** What the threshold applies to: events, distinct values, rules seen or steps in order. */
  count: number;
  events: number;
  firstSeen: string;
  lastSeen: string;
}
