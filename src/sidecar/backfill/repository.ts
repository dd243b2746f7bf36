import type { BackfillState } from '../../shared/backfill';
import type { ListUnit } from './planner';
import type { ValidRequest } from './request';

/*
 * What backfill keeps in the store and reads from it, declared here and implemented by store/
 * (store/backfills.ts, store/ledger.ts, store/events.ts); sidecar.ts wires the two. Backfill
 * itself holds no SQL and does not know which store runs it.
 */

/** A backfill as stored: the validated request (its source by id) and where it stands. */
export interface BackfillRecord extends Omit<ValidRequest, 'source'> {
  id: string;
  sourceId: string;
  state: BackfillState;
  error: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** A planned prefix and how far its listing got. */
export interface UnitCheckpoint extends ListUnit {
  /** Continuation token of the next page; '' before the first. */
  token: string;
  done: boolean;
  pages: number;
  /** Objects ListObjectsV2 returned in the pages done. */
  seen: number;
  enqueued: number;
  ignored: number;
}

export interface ListedRow {
  key: string;
  etag: string;
  size: number;
  keyTime: number;
}

export type HandledStatus = 'ok' | 'failed' | 'skipped' | 'cancelled';

/** One object of a backfill the consumer is done with. */
export interface HandledRow {
  backfillId: string;
  bucket: string;
  key: string;
  etag: string;
  size: number;
  status: HandledStatus;
  events: number;
  malformed: number;
  minTime: string | null;
  maxTime: string | null;
  /** Already in the store before this backfill named it (live ingest, another backfill). */
  duplicate: boolean;
}

/** Counters of one backfill, all read from stored rows. */
export interface ProgressRow {
  units: number;
  unitsDone: number;
  seen: number;
  ignored: number;
  enqueued: number;
  listed: number;
  bytesListed: number;
  /** Objects this backfill read and stored. */
  processed: number;
  failed: number;
  /** Objects not read: the format skips them (digests), or they were already ingested. */
  skipped: number;
  /** Of the skipped, those already in the store before this backfill named them. */
  alreadyIngested: number;
  cancelled: number;
  bytesProcessed: number;
  events: number;
  malformed: number;
  coverageFrom: number | null;
  coverageTo: number | null;
  firstHandledAt: number | null;
  lastHandledAt: number | null;
  firstEventAt: number | null;
}

/** Objects (or events) per hour, the hour as hours since the epoch. */
export type PerHour = Map<number, number>;

/** The backfill tables: requests, listing checkpoints, listed objects, objects handled per backfill. Every change is a new row version. */
export interface BackfillRepository {
  saveBackfill(record: BackfillRecord): Promise<void>;
  backfill(id: string): Promise<BackfillRecord | undefined>;
  backfills(opts?: { states?: BackfillState[]; sourceId?: string; limit?: number }): Promise<BackfillRecord[]>;
  saveUnits(backfillId: string, units: UnitCheckpoint[]): Promise<void>;
  units(backfillId: string): Promise<UnitCheckpoint[]>;
  recordListed(backfillId: string, objects: ListedRow[]): Promise<void>;
  recordHandled(rows: HandledRow[]): Promise<void>;
  /** Which of these keys the consumer already handled for the backfill. */
  handledKeys(backfillId: string, keys: string[]): Promise<Set<string>>;
  /** Counters of each backfill, from its units, listed objects and handled objects. */
  progress(ids: string[]): Promise<Map<string, ProgressRow>>;
  /** Listed objects of these backfills not handled yet, per hour they may hold events of (the key's, and the one before for AWS's lag). */
  pendingHours(ids: string[], from: number, to: number): Promise<PerHour>;
  /** The units of these backfills not listed to the end yet, with the time each is filed under (null: undated). */
  unlistedUnits(ids: string[]): Promise<Array<{ backfillId: string; time: number | null }>>;
}

/** A source's objects in the ingest ledger, as backfill's coverage and estimates read them (store/ledger.ts). */
export interface LedgerReader {
  /** Objects ingested whole (status ok) per hour their events span, within [from, to). */
  objectsByHour(filter: { sourceId: string }, from: number, to: number): Promise<PerHour>;
  /** The source's failed objects: their key and the time of their first event, if any was read. */
  failedObjects(sourceId: string): Promise<Array<{ key: string; minTime: number | null }>>;
  /** The latest backfill of at least `minObjects` objects in the last 30 days: objects, bytes, and the wall time they took. */
  latestBackfillRun(minObjects: number): Promise<{ objects: number; bytes: number; seconds: number } | undefined>;
  /** The last `sample` objects ingested: how many, their bytes, and the time spent on them one by one. */
  recentObjects(sample: number): Promise<{ objects: number; bytes: number; busySeconds: number }>;
}

/** Events stored per hour for a source (store/events.ts). */
export interface EventCounter {
  eventsByHour(sourceId: string, from: number, to: number): Promise<PerHour>;
}
