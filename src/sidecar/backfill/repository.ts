import type { BackfillState } from '../../shared/backfill';
import type { Store } from '../store/store';
import { toClickHouseTime, toIso } from '../store/time';
import type { ListUnit } from './planner';
import type { ValidRequest } from './request';
import type { ObjectFilter } from './select';

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

interface BackfillDbRow {
  id: string;
  source_id: string;
  bucket: string;
  region: string;
  prefixes: string[];
  from_time: string | null;
  to_time: string | null;
  margin_minutes: number;
  sort_order: string;
  role_arn: string;
  external_id: string;
  state: string;
  error: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

interface UnitDbRow {
  prefix: string;
  filter: string;
  unit_time: string | null;
  token: string;
  done: number;
  pages: number;
  seen: number;
  enqueued: number;
  ignored: number;
}

const ms = (value: string | null): number | null => (value ? Date.parse(toIso(value)) : null);
const chTime = (value: number | null): string | null => (value === null ? null : toClickHouseTime(value));

const BACKFILL_COLUMNS =
  "id String, source_id String, bucket String, region String, prefixes Array(String), from_time Nullable(DateTime64(3, 'UTC')), to_time Nullable(DateTime64(3, 'UTC')), margin_minutes UInt32, sort_order String, role_arn String, external_id String, state String, error String, created_at DateTime64(3, 'UTC'), updated_at DateTime64(3, 'UTC'), finished_at Nullable(DateTime64(3, 'UTC')), version UInt64";
const UNIT_COLUMNS =
  "backfill_id String, prefix String, filter String, unit_time Nullable(DateTime64(3, 'UTC')), token String, done UInt8, pages UInt32, seen UInt64, enqueued UInt64, ignored UInt64, version UInt64";
const LISTED_COLUMNS = "backfill_id String, key String, etag String, size UInt64, key_time DateTime64(3, 'UTC'), listed_at DateTime64(3, 'UTC')";
const HANDLED_COLUMNS =
  "backfill_id String, bucket String, key String, etag String, size UInt64, status String, events UInt64, malformed UInt64, min_time Nullable(DateTime64(3, 'UTC')), max_time Nullable(DateTime64(3, 'UTC')), duplicate UInt8, handled_at DateTime64(3, 'UTC')";

/** Rows of the backfill tables (migration 3). Every change is a new row version; reads use FINAL. */
export class BackfillRepository {
  private lastVersion = 0;

  constructor(private readonly store: Store) {}

  /** Increasing across calls and restarts, so the latest write of a row wins. */
  private version(): number {
    this.lastVersion = Math.max(Date.now() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }

  private async insert(table: string, columns: string, rows: object[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const names = columns.split(/,\s*(?![^()]*\))/).map((c) => c.trim().split(' ')[0]);
    await this.store.exec(
      `INSERT INTO ${table} (${names.join(', ')}) SELECT ${names.join(', ')} FROM format(JSONEachRow, {structure:String}, {rows:String})
       SETTINGS date_time_input_format = 'best_effort'`,
      { structure: columns, rows: rows.map((r) => JSON.stringify(r)).join('\n') }
    );
  }

  async saveBackfill(record: BackfillRecord): Promise<void> {
    await this.insert('backfills', BACKFILL_COLUMNS, [
      {
        id: record.id,
        source_id: record.sourceId,
        bucket: record.bucket,
        region: record.region,
        prefixes: record.prefixes,
        from_time: chTime(record.from),
        to_time: chTime(record.to),
        margin_minutes: record.marginMinutes,
        sort_order: record.order,
        role_arn: record.roleArn ?? '',
        external_id: record.externalId ?? '',
        state: record.state,
        error: record.error,
        created_at: chTime(record.createdAt),
        updated_at: chTime(record.updatedAt),
        finished_at: chTime(record.finishedAt),
        version: this.version(),
      },
    ]);
  }

  async backfill(id: string): Promise<BackfillRecord | undefined> {
    const { rows } = await this.store.query<BackfillDbRow>('SELECT * FROM backfills FINAL WHERE id = {id:String}', { id });
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async backfills(opts: { states?: BackfillState[]; sourceId?: string; limit?: number } = {}): Promise<BackfillRecord[]> {
    const clauses: string[] = [];
    if (opts.states) {
      clauses.push('state IN {states:Array(String)}');
    }
    if (opts.sourceId) {
      clauses.push('source_id = {source:String}');
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const { rows } = await this.store.query<BackfillDbRow>(`SELECT * FROM backfills FINAL ${where} ORDER BY created_at DESC, id LIMIT {limit:UInt32}`, {
      states: opts.states,
      source: opts.sourceId,
      limit: opts.limit ?? 1000,
    });
    return rows.map(toRecord);
  }

  async saveUnits(backfillId: string, units: UnitCheckpoint[]): Promise<void> {
    await this.insert(
      'backfill_units',
      UNIT_COLUMNS,
      units.map((u) => ({
        backfill_id: backfillId,
        prefix: u.prefix,
        filter: JSON.stringify(u.filter),
        unit_time: chTime(u.time),
        token: u.token,
        done: u.done ? 1 : 0,
        pages: u.pages,
        seen: u.seen,
        enqueued: u.enqueued,
        ignored: u.ignored,
        version: this.version(),
      }))
    );
  }

  async units(backfillId: string): Promise<UnitCheckpoint[]> {
    const { rows } = await this.store.query<UnitDbRow>('SELECT * FROM backfill_units FINAL WHERE backfill_id = {id:String} ORDER BY prefix', {
      id: backfillId,
    });
    return rows.map((r) => ({
      prefix: r.prefix,
      filter: JSON.parse(r.filter) as ObjectFilter,
      time: ms(r.unit_time),
      token: r.token,
      done: Number(r.done) === 1,
      pages: Number(r.pages),
      seen: Number(r.seen),
      enqueued: Number(r.enqueued),
      ignored: Number(r.ignored),
    }));
  }

  async recordListed(backfillId: string, objects: ListedRow[]): Promise<void> {
    const now = toClickHouseTime(Date.now());
    await this.insert(
      'backfill_listed',
      LISTED_COLUMNS,
      objects.map((o) => ({ backfill_id: backfillId, key: o.key, etag: o.etag, size: o.size, key_time: toClickHouseTime(o.keyTime), listed_at: now }))
    );
  }

  async recordHandled(rows: HandledRow[]): Promise<void> {
    const now = toClickHouseTime(Date.now());
    await this.insert(
      'backfill_objects',
      HANDLED_COLUMNS,
      rows.map((r) => ({
        backfill_id: r.backfillId,
        bucket: r.bucket,
        key: r.key,
        etag: r.etag,
        size: r.size,
        status: r.status,
        events: r.events,
        malformed: r.malformed,
        min_time: r.minTime ? toClickHouseTime(Date.parse(r.minTime)) : null,
        max_time: r.maxTime ? toClickHouseTime(Date.parse(r.maxTime)) : null,
        duplicate: r.duplicate ? 1 : 0,
        handled_at: now,
      }))
    );
  }

  /** Which of these keys the consumer already handled for the backfill. */
  async handledKeys(backfillId: string, keys: string[]): Promise<Set<string>> {
    const { rows } = await this.store.query<{ key: string }>(
      'SELECT DISTINCT key FROM backfill_objects WHERE backfill_id = {id:String} AND key IN {keys:Array(String)}',
      { id: backfillId, keys }
    );
    return new Set(rows.map((r) => r.key));
  }

  /** Counters of each backfill, from its units, listed objects and handled objects. */
  async progress(ids: string[]): Promise<Map<string, ProgressRow>> {
    const params = { ids };
    const [units, listed, handled] = await Promise.all([
      this.store.query<Record<string, number | string>>(
        `SELECT backfill_id, count() AS units, sum(done) AS units_done, sum(seen) AS seen, sum(ignored) AS ignored, sum(enqueued) AS enqueued
         FROM backfill_units FINAL WHERE backfill_id IN {ids:Array(String)} GROUP BY backfill_id`,
        params
      ),
      this.store.query<Record<string, number | string>>(
        `SELECT backfill_id, count() AS listed, sum(size) AS bytes_listed
         FROM backfill_listed FINAL WHERE backfill_id IN {ids:Array(String)} GROUP BY backfill_id`,
        params
      ),
      this.store.query<Record<string, number | string | null>>(
        `SELECT backfill_id,
           countIf(status = 'ok' AND duplicate = 0) AS processed, countIf(status = 'failed' AND duplicate = 0) AS failed,
           countIf(status = 'skipped' OR duplicate = 1) AS skipped, countIf(duplicate = 1) AS already_ingested,
           countIf(status = 'cancelled') AS cancelled,
           sumIf(size, status = 'ok' AND duplicate = 0) AS bytes_processed,
           sumIf(events, duplicate = 0) AS event_count, sumIf(malformed, duplicate = 0) AS malformed_count,
           min(min_time) AS coverage_from, max(max_time) AS coverage_to,
           min(handled_at) AS first_handled, max(handled_at) AS last_handled,
           if(countIf(events > 0) > 0, minIf(handled_at, events > 0), NULL) AS first_event_at
         FROM backfill_objects FINAL WHERE backfill_id IN {ids:Array(String)} GROUP BY backfill_id`,
        params
      ),
    ]);
    const out = new Map<string, ProgressRow>();
    for (const id of ids) {
      const u = units.rows.find((r) => r.backfill_id === id) ?? {};
      const l = listed.rows.find((r) => r.backfill_id === id) ?? {};
      const h = handled.rows.find((r) => r.backfill_id === id) ?? {};
      const n = (v: unknown) => Number(v ?? 0);
      const t = (v: unknown) => (typeof v === 'string' && v ? ms(v) : null);
      out.set(id, {
        units: n(u.units),
        unitsDone: n(u.units_done),
        seen: n(u.seen),
        ignored: n(u.ignored),
        enqueued: n(u.enqueued),
        listed: n(l.listed),
        bytesListed: n(l.bytes_listed),
        processed: n(h.processed),
        failed: n(h.failed),
        skipped: n(h.skipped),
        alreadyIngested: n(h.already_ingested),
        cancelled: n(h.cancelled),
        bytesProcessed: n(h.bytes_processed),
        events: n(h.event_count),
        malformed: n(h.malformed_count),
        coverageFrom: t(h.coverage_from),
        coverageTo: t(h.coverage_to),
        firstHandledAt: t(h.first_handled),
        lastHandledAt: t(h.last_handled),
        firstEventAt: t(h.first_event_at),
      });
    }
    return out;
  }
}

function toRecord(r: BackfillDbRow): BackfillRecord {
  return {
    id: r.id,
    sourceId: r.source_id,
    bucket: r.bucket,
    region: r.region,
    prefixes: r.prefixes,
    from: ms(r.from_time),
    to: ms(r.to_time),
    marginMinutes: Number(r.margin_minutes),
    order: r.sort_order === 'oldest' ? 'oldest' : 'newest',
    roleArn: r.role_arn || null,
    externalId: r.external_id || null,
    state: r.state as BackfillState,
    error: r.error,
    createdAt: ms(r.created_at) ?? 0,
    updatedAt: ms(r.updated_at) ?? 0,
    finishedAt: ms(r.finished_at),
  };
}
