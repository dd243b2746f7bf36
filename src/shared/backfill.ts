// Shapes of the backfill, coverage and source-management API, shared by the app plugin and the
// sidecar.
import type { Source } from './api';

export type BackfillOrder = 'newest' | 'oldest';

export interface BackfillRequest {
  sourceId: string;
  /** Default: the source's bucket and region. */
  bucket?: string;
  region?: string;
  prefixes?: string[];
  /** Event-time range (ISO 8601); the planner turns it into key prefixes where the layout allows. */
  from?: string;
  to?: string;
  roleArn?: string;
  externalId?: string;
  order?: BackfillOrder;
  /**
   * Objects are chosen by the time in their key (else LastModified). AWS stamps keys with the
   * delivery or interval-end time, so objects stamped up to this many minutes after `to` may
   * still hold events before it. Default: the layout's delivery lag (CloudTrail 15, ELB and VPC
   * flow 10, WAF 5, S3 access and CloudFront 60); 0 takes exactly the keys stamped in the range.
   */
  marginMinutes?: number;
}

export type BackfillState = 'planning' | 'listing' | 'running' | 'done' | 'cancelled' | 'failed';

/** What a backfill did: every object it names is counted once, and only what it stored counts as processed. */
export interface BackfillCounters {
  listed: number;
  enqueued: number;
  /** Objects this backfill read and stored. */
  processed: number;
  failed: number;
  /** Objects not read: the format skips them (CloudTrail digests), or they were already ingested. */
  skipped: number;
  /** Of the skipped, those already in the store (live ingest or an earlier backfill): their events are not counted again. */
  alreadyIngested?: number;
  /** Messages of a cancelled backfill deleted without ingest. */
  cancelled: number;
  bytesListed: number;
  /** Bytes of the processed objects. */
  bytesProcessed: number;
  /** Events this backfill stored; those of objects already ingested are not counted. */
  events: number;
  malformed: number;
  /** Objects under the planned prefixes left out: outside the time range, digests, folder markers, empty or another log type. */
  ignored?: number;
  /** Enqueued objects whose message left the backfill queue without being handled (its dead-letter queue). */
  deadLettered?: number;
}

export interface Backfill {
  id: string;
  sourceId: string;
  bucket: string;
  region: string;
  prefixes: string[];
  from: string | null;
  to: string | null;
  order: BackfillOrder;
  state: BackfillState;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  counters: BackfillCounters;
  eventsPerSecond: number;
  etaSeconds: number | null;
  /** Event-time span loaded so far. */
  coverage: { from: string | null; to: string | null };
  /** Time from start to the first stored event, once there is one. */
  firstEventAfterMs: number | null;
  /** The role assumed to read the bucket, if any (the external ID is never returned). */
  roleArn?: string | null;
  marginMinutes?: number;
  /** Prefixes the planner chose, and how many of them are listed to the end. */
  listing?: { units: number; unitsDone: number };
  /** Hours moved to the front of this backfill, newest request first (a few dozen at most). */
  pulledForward?: PulledForward[];
}

/** Why hours of a running backfill were moved to the front: a search needed them, or someone asked. */
export type PriorityReason = 'query' | 'asked';

/** Hours of a running backfill loaded before the rest of it (query-driven priority). */
export interface PulledForward {
  /** The hours, [from, to), as ISO times on hour boundaries. */
  from: string;
  to: string;
  reason: PriorityReason;
  /** `query`: the start of the query text that needed the hours; `asked`: the note given with the request ('' for none). */
  detail: string;
  requestedAt: string;
  /** Objects of those hours found so far, and how many of them are ingested. */
  objects: number;
  objectsDone: number;
  state: 'queued' | 'loading' | 'done' | 'dropped';
  /** Why a request was cut short or dropped (a bound it hit), if it was. */
  note?: string;
}

/** POST /api/backfills/:id/priority: load these hours of a running backfill first. */
export interface PriorityRequest {
  from: string | number;
  to: string | number;
  note?: string;
}

export interface BackfillEstimate {
  prefixes: string[];
  objects: number;
  bytes: number;
  /** From the throughput measured on this sidecar; null before anything was ingested. */
  expectedSeconds: number | null;
}

export type HourState = 'full' | 'partial' | 'none';

export interface CoverageResponse {
  sourceId: string;
  from: string;
  to: string;
  hours: Array<{ hour: string; state: HourState; objects: number; events: number }>;
}

/** A 400 whose problem is in named fields of the request body. */
export interface FieldErrorsBody {
  statusCode: 400;
  error: 'Bad Request';
  message: string;
  fields: Array<{ field: string; message: string }>;
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
}

export interface SourceStatus {
  source: Source;
  lastEventTime: string | null;
  eventsLast24h: number;
  liveQueue: QueueDepth | null;
  backfillQueue: QueueDepth | null;
  failedObjects: number;
  malformedRecords: number;
}
