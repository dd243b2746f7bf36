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

/**
 * One page of a prefix's listing, recorded by the sidecar that listed it once the page's
 * notifications and the unit of the next page are on the queue. Keyed by backfill, prefix and
 * page number, so a page listed twice (a unit delivered again) is one row.
 */
export interface PageRecord {
  prefix: string;
  /** 0 for the first page of the prefix. */
  page: number;
  /** The continuation token the page was listed from; '' for the first. */
  token: string;
  /** Where the next page starts; '' when this was the prefix's last. */
  nextToken: string;
  /** Objects ListObjectsV2 returned. */
  seen: number;
  /** Of those, the ones the backfill took (packed into its notifications). */
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
  /** Prefixes planned, and those listed to their last page. */
  units: number;
  unitsDone: number;
  /** Pages listed. */
  pages: number;
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

/**
 * The backfill tables: requests, planned prefixes, listed pages, listed objects, objects handled
 * per backfill. Any number of sidecars write them at once: every change is a new row, folded at
 * read (ReplacingMergeTree), and a backfill's versions are ordered by state first (a state never
 * goes back and a cancel wins), then by a clock that is never behind the version stored.
 */
export interface BackfillRepository {
  saveBackfill(record: BackfillRecord): Promise<void>;
  backfill(id: string): Promise<BackfillRecord | undefined>;
  backfills(opts?: { states?: BackfillState[]; sourceId?: string; limit?: number }): Promise<BackfillRecord[]>;
  /** The prefixes a backfill lists, written once when it starts. */
  savePlan(backfillId: string, units: ListUnit[]): Promise<void>;
  plan(backfillId: string): Promise<ListUnit[]>;
  recordPage(backfillId: string, page: PageRecord): Promise<void>;
  /** Whether this page of the prefix was recorded (everything it sends was sent). */
  pageRecorded(backfillId: string, prefix: string, page: number): Promise<boolean>;
  recordListed(backfillId: string, objects: ListedRow[]): Promise<void>;
  recordHandled(rows: HandledRow[]): Promise<void>;
  /** Which of these keys the consumer already handled for the backfill. */
  handledKeys(backfillId: string, keys: string[]): Promise<Set<string>>;
  /** Counters of each backfill, from its plan, listed pages, listed objects and handled objects. */
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
