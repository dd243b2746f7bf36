import type { CountResponse, EventsQuery, IngestTotals, LedgerEntry, ObjectsQuery, RejectedMessage, Source, StoredEvent } from '../../shared/api';
import type {
  DeliveryList,
  DeliveryState,
  Detection,
  DetectionList,
  DetectionStatus,
  Hunt,
  RuleRun,
  RulesResponse,
  RuleSummary,
  Severity,
} from '../../shared/detections';
import type { AwsClients } from '../aws/clients';
import type { PulledForward } from '../../shared/backfill';
import type { PriorityStats } from '../backfill/priorityStats';
import type { BackfillService } from '../backfill/service';
import type { LookbackConfig } from '../config/types';
import type { Logger } from '../log';
import type { QueryService } from '../query/service';
import type { QueueBinding } from '../queue/bindings';
import type { SourceRegistry } from '../sources/registry';

/** What the routes use: the services sidecar.ts built and started, and the store's reads they serve. */
export interface ApiContext {
  config: LookbackConfig;
  aws: AwsClients;
  log: Logger;
  version: string;
  registry: SourceRegistry;
  sources: () => Source[];
  /** Every queue the sources name, polled or not. */
  queues: () => QueueBinding[];
  /** Messages this sidecar works on now, per kind of queue (none without the `ingest` role). */
  inFlight: () => Record<string, number>;
  /** The inserts of events this sidecar made and their rows, per kind of queue (ingest/insertStats.ts counts them). */
  inserts: { byQueue(): Array<{ queue: string; inserts: number; rows: number }> };
  backfills: BackfillService;
  /** Hours of running backfills loaded first on request (backfill/priority.ts), and what priority did. */
  priority: { ask(backfillId: string, body: unknown): Promise<PulledForward>; stats: PriorityStats };
  search: QueryService;
  store: StoreReads;
  detections: DetectionsApi;
}

/** What the detection routes use: rules, detections, retro-hunts and deliveries (detect/service.ts serves it). */
export interface DetectionsApi {
  listRules(): Promise<RulesResponse>;
  getRule(id: string): Promise<RuleSummary | undefined>;
  /** Undefined for an unknown rule. */
  setEnabled(id: string, enabled: boolean, by: string): Promise<RuleSummary | undefined>;
  ruleRuns(id: string, limit: number): Promise<RuleRun[]>;
  listDetections(filter: {
    statuses?: DetectionStatus[];
    severities?: Severity[];
    ruleIds?: string[];
    from?: number;
    to?: number;
    limit: number;
  }): Promise<DetectionList>;
  getDetection(fingerprint: string): Promise<Detection | null>;
  setStatus(fingerprint: string, change: { status: DetectionStatus; by: string; note: string }): Promise<Detection | null>;
  /** A hunt, or the field of the request at fault and why. */
  startHunt(order: { from: number; to: number; rules: string[]; notify: boolean; by: string }): Promise<Hunt | { field: string; message: string }>;
  getHunt(id: string): Promise<Hunt | null>;
  listHunts(limit: number): Promise<Hunt[]>;
  listDeliveries(options: { states?: DeliveryState[]; fingerprint?: string; limit: number }): Promise<DeliveryList>;
}

/** Objects, bytes, events and malformed records in the ledger for one source, queue and status. */
export interface LedgerCounts {
  sourceId: string;
  queue: string;
  status: string;
  objects: number;
  bytes: number;
  events: number;
  malformed: number;
}

/**
 * What the routes read of the store, declared here and served by the tables' repositories in
 * store/ (events.ts, ledger.ts, rejected.ts, backfills.ts), which sidecar.ts hands over. The
 * routes hold no SQL.
 */
export interface StoreReads {
  readonly kind: string;
  /** Where the store is (a directory, or a server's URL, database and cluster). */
  describe(): string;
  /** The ClickHouse version that runs the SQL. */
  version(): Promise<string>;
  ping(): Promise<void>;
  events: {
    list(q: EventsQuery & { limit: number }): Promise<StoredEvent[]>;
    count(q: EventsQuery): Promise<CountResponse>;
    statsBySource(ids: string[]): Promise<Map<string, { lastEventTime: string | null; eventsLast24h: number }>>;
  };
  ledger: {
    list(q: ObjectsQuery & { limit: number }): Promise<LedgerEntry[]>;
    totals(): Promise<Omit<IngestTotals, 'rejectedMessages'>>;
    problemsBySource(ids: string[]): Promise<Map<string, { failed: number; malformed: number }>>;
    counts(): Promise<LedgerCounts[]>;
    /** Per source: the newest event time ingested from the live queue, and when the last object was ingested (ms). */
    lastIngest(): Promise<Array<{ sourceId: string; newestLiveEvent: number | null; lastIngested: number | null }>>;
  };
  rejected: {
    list(limit: number): Promise<RejectedMessage[]>;
    count(): Promise<number>;
    countsBySource(): Promise<Array<{ sourceId: string; count: number }>>;
  };
  backfills: {
    countsByState(): Promise<Array<{ state: string; count: number }>>;
  };
}
