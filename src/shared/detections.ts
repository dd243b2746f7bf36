// Shapes of the detections API (rules, detections, retro-hunts, notification deliveries), shared
// by the app plugin and the sidecar.

/** Sigma's levels, lowest first; native rules use the same words. */
export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DETECTION_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type DetectionStatus = (typeof DETECTION_STATUSES)[number];

/**
 * The query a new annotation of the data source starts with: the detections not closed, one
 * annotation each from its first to its last event, under the column names Grafana maps onto an
 * annotation's time, timeEnd, title, text and tags.
 */
export const DETECTIONS_ANNOTATION_QUERY = `Detections
| where status != "closed"
| project time, timeEnd = lastSeen, title = strcat("[", severity, "] ", title), text = strcat(ruleId, ": ", keys, " (", events, " events, ", status, ")"), tags`;

/** One detection: the hits of one rule for one group in one window of event time. */
export interface Detection {
  /** hash(rule id, rule version, group keys, window start): the detection's identity. */
  fingerprint: string;
  ruleId: string;
  ruleVersion: string;
  title: string;
  severity: Severity;
  tags: string[];
  /** The rule's group-by keys and their values for this detection. */
  keys: Record<string, string>;
  /** The window of event time the detection covers (the rule's suppress window, or a correlation's timespan). */
  window: { from: string; to: string };
  /** What the rule's threshold applies to: events, distinct values, rules seen or steps in order. */
  count: number;
  events: number;
  firstSeen: string;
  lastSeen: string;
  detectedAt: string;
  status: DetectionStatus;
  /** Who changed the status last ('' while nobody has). */
  statusBy: string;
  statusAt: string | null;
  note: string;
  /** The detection's events: a query of the search language over this time range (Explore). */
  explore: { query: string; from: string; to: string };
}

/** The filters of `GET /api/detections`: each one left out matches everything. */
export interface DetectionListParams {
  status?: DetectionStatus;
  severity?: Severity;
  /** A rule id. */
  rule?: string;
  /** Detections whose events overlap this range of event time (ISO 8601). */
  from?: string;
  to?: string;
  limit?: number;
}

export interface DetectionList {
  detections: Detection[];
  /** More detections matched than `limit`; the newest are shown. */
  truncated: boolean;
}

export interface DetectionStatusChange {
  status: DetectionStatus;
  /** Who makes the change (the Grafana user); the X-Grafana-User header wins when Grafana sends it. */
  by?: string;
  note?: string;
}

export type RunKind = 'scheduled' | 'hunt';
export type RunState = 'running' | 'done' | 'failed';

/** One run of a rule: a scheduled window of received time, or its part of a retro-hunt. */
export interface RuleRun {
  runId: string;
  kind: RunKind;
  state: RunState;
  /** The sidecar that ran it. */
  owner: string;
  /** Scheduled runs: the events received in [from, to) were checked; retro-hunts: the events of [from, to). */
  from: string;
  to: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  hits: number;
  newDetections: number;
  error: string;
}

export interface RuleSummary {
  id: string;
  title: string;
  description: string;
  kind: 'sigma' | 'correlation' | 'native';
  file: string;
  severity: Severity;
  tags: string[];
  /** The table of the search language its events come from. */
  table: string;
  scheduleMs: number;
  lookbackMs: number;
  suppressMs: number;
  /** False for Sigma rules that only feed correlations: never run on their own. */
  standalone: boolean;
  enabled: boolean;
  /** Who enabled or disabled it last ('' for the default). */
  enabledBy: string;
  warnings: string[];
  lastRun: RuleRun | null;
  /** The last run that failed, when it is newer than the last that succeeded. */
  lastError: RuleRun | null;
  detections: { open: number; total: number };
}

export interface RuleLoadError {
  file: string;
  rule?: string;
  construct?: string;
  reason: string;
  message: string;
}

export interface RulesResponse {
  rules: RuleSummary[];
  /** Rule files or rules that did not load, each with where and why. */
  errors: RuleLoadError[];
}

export interface RuleSettingChange {
  enabled: boolean;
  by?: string;
}

/** An on-demand run of rules over a range of event time: history hunted again. */
export interface HuntRequest {
  from: string;
  to: string;
  /** Rule ids; default every enabled rule. */
  rules?: string[];
  /** Send notifications for the detections it finds first (default false). */
  notify?: boolean;
  by?: string;
}

export type HuntState = 'running' | 'done' | 'failed';

export interface Hunt {
  id: string;
  from: string;
  to: string;
  rules: string[];
  notify: boolean;
  requestedBy: string;
  state: HuntState;
  rulesDone: number;
  hits: number;
  newDetections: number;
  errors: Array<{ ruleId: string; error: string }>;
  createdAt: string;
  finishedAt: string | null;
}

export const CHANNEL_TYPES = ['webhook', 'slack', 'alertmanager'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/** One detection sent to one notification channel. */
export interface Delivery {
  fingerprint: string;
  channel: string;
  channelType: ChannelType;
  ruleId: string;
  title: string;
  state: DeliveryState;
  attempts: number;
  /** Why the last attempt failed ('' after a success). */
  lastError: string;
  /** When the next attempt is due (pending deliveries). */
  nextAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryList {
  deliveries: Delivery[];
  channels: Array<{ name: string; type: ChannelType; minSeverity: Severity }>;
}
