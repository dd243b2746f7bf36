import type { CountResponse, EventsQuery, IngestTotals, LedgerEntry, ObjectsQuery, RejectedMessage, Source, StoredEvent } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
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
  backfills: BackfillService;
  search: QueryService;
  store: StoreReads;
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
