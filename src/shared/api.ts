// Request and response shapes of the sidecar's HTTP API, shared by the Grafana plugin and the sidecar.

/** Log types the sidecar can parse. `auto` lets the key layout and the content decide. */
export const LOG_TYPES = [
  'cloudtrail',
  'alb',
  'alb_connection',
  'elb',
  'nlb',
  'vpcflow',
  's3access',
  'cloudfront',
  'waf',
  'route53resolver',
  'guardduty',
  'json',
  'text',
] as const;
export type LogType = (typeof LOG_TYPES)[number];
export type SourceLogType = LogType | 'auto';

export interface Source {
  id: string;
  logType: SourceLogType;
  bucket: string;
  region: string;
  prefix?: string;
  liveQueueUrl?: string;
  backfillQueueUrl?: string;
  roleArn?: string;
  externalId?: string;
  /** Generic JSON and text logs: the field that holds each record's time (detected when absent). */
  timeField?: string;
  /**
   * VPC flow logs written without a header line in a custom format: its field names in order,
   * space-separated (`version account-id interface-id …`, or the flow log's own `${version} …`).
   */
  vpcFlowFormat?: string;
  /** `config`: declared in the sidecar's config file, read-only through the API. */
  managedBy?: 'config' | 'api';
}

export type CheckStatus = 'ok' | 'error';

export interface Check {
  name: string;
  status: CheckStatus;
  /** Why the check failed, or a short fact about it when it passed. */
  detail?: string;
}

/** `GET /api/health` without a token: up or down, nothing more (no queue names, no AWS calls). */
export interface AnonymousHealth {
  status: CheckStatus;
}

/** `GET /api/health` with the token: each check with its reason, and ingest totals. */
export interface HealthResponse {
  status: CheckStatus;
  version: string;
  store: Check;
  queues: Check[];
  ingest: IngestTotals;
}

export interface IngestTotals {
  objectsOk: number;
  objectsFailed: number;
  objectsSkipped: number;
  events: number;
  malformed: number;
  rejectedMessages: number;
}

/** Outcome of one S3 object in the ingest ledger. */
export type ObjectStatus = 'ok' | 'failed' | 'skipped';

export interface MalformedSample {
  /** 1-based line or record number inside the object. */
  record: number;
  reason: string;
  /** The start of the bad record, truncated. */
  sample: string;
}

export interface LedgerEntry {
  sourceId: string;
  bucket: string;
  key: string;
  etag: string;
  size: number;
  logType: string;
  status: ObjectStatus;
  events: number;
  malformed: number;
  malformedSamples: MalformedSample[];
  error: string;
  minTime: string | null;
  maxTime: string | null;
  backfillId: string;
  processedAt: string;
  durationMs: number;
}

/** `GET /api/objects`: which ledger entries to list. */
export interface ObjectsQuery {
  source?: string;
  backfill?: string;
  status?: ObjectStatus;
  /** Only objects that failed or had malformed records. */
  problems?: boolean;
  limit?: number;
}

/** An SQS message that could not be read as an S3 notification. */
export interface RejectedMessage {
  sourceId: string;
  queue: string;
  messageId: string;
  reason: string;
  body: string;
  receivedAt: string;
}

export interface TimeRange {
  from: string;
  to: string;
}

export interface EventsQuery {
  source?: string;
  logType?: string;
  /** Provenance: only events read from this bucket / object key. */
  bucket?: string;
  key?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** One row of the events table (the sidecar's store/eventColumns.ts defines it; a type test keeps the two equal). */
export interface StoredEvent {
  time: string;
  receivedAt: string;
  sourceId: string;
  logType: string;
  eventName: string;
  actor: string;
  srcIp: string;
  srcPort: number | null;
  dstIp: string;
  dstPort: number | null;
  outcome: string;
  status: string;
  severity: string;
  region: string;
  account: string;
  service: string;
  userAgent: string;
  bytes: number | null;
  raw: string;
  fields: Record<string, string>;
  bucket: string;
  key: string;
  etag: string;
  recordIndex: number;
  backfillId: string;
}

export interface EventsResponse {
  events: StoredEvent[];
}

export interface CountResponse {
  count: number;
  minTime: string | null;
  maxTime: string | null;
}

export interface ApiError {
  error: string;
  message: string;
  statusCode: number;
}
