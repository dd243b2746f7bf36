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
}

export type BackfillState = 'planning' | 'listing' | 'running' | 'done' | 'cancelled' | 'failed';

export interface BackfillCounters {
  listed: number;
  enqueued: number;
  processed: number;
  failed: number;
  skipped: number;
  /** Messages of a cancelled backfill deleted without ingest. */
  cancelled: number;
  bytesListed: number;
  bytesProcessed: number;
  events: number;
  malformed: number;
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
