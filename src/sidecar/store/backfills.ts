import type { BackfillState } from '../../shared/backfill';
import type { ListUnit } from '../backfill/planner';
import type { BackfillRecord, BackfillRepository, HandledRow, ListedRow, PageRecord, PerHour, ProgressRow } from '../backfill/repository';
import type { ObjectFilter } from '../backfill/select';
import type { Store } from './store';
import { TIME_TYPE, toClickHouseTime, toMs } from './time';

/** AWS stamps keys up to this long after the events they hold: a pending object may hold the previous hour's too. */
const KEY_LAG = '15 MINUTE';

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
}

/** Per unit of the backfills `{ids}`: pages listed and their counters, and whether the last page is among them (0 when none is recorded: the LEFT JOIN's default). */
const PAGES_PER_UNIT = `SELECT backfill_id, prefix, max(next_token = '') AS last, count() AS pages, sum(seen) AS seen, sum(ignored) AS ignored, sum(enqueued) AS enqueued
  FROM backfill_pages FINAL WHERE backfill_id IN {ids:Array(String)} GROUP BY backfill_id, prefix`;

const chTime = (value: number | null): string | null => (value === null ? null : toClickHouseTime(value));

/**
 * A backfill row's version: its state's rank, then microseconds. The highest version is the row
 * read, so among rows written at once by several sidecars a later state always wins (listing <
 * running < done < failed < cancelled: a state never goes back, and a cancel beats everything).
 * Within a state the later write wins: the time is this sidecar's clock, or one past the version
 * stored when that is ahead (another sidecar's clock), so it never depends on one clock alone.
 */
const STATE_RANK: Record<BackfillState, bigint> = { planning: 0n, listing: 0n, running: 1n, done: 2n, failed: 3n, cancelled: 4n };
const RANK_STEP = 10n ** 17n;

export function backfillVersion(state: BackfillState, storedVersion: bigint, nowMs: number): bigint {
  const time = BigInt(nowMs) * 1000n;
  const stored = storedVersion % RANK_STEP;
  return STATE_RANK[state] * RANK_STEP + (time > stored ? time : stored + 1n);
}

/** The backfill tables (migrations 3 and 5). Every change is a new row; reads use FINAL. */
export class BackfillTables implements BackfillRepository {
  constructor(private readonly store: Store) {}

  async saveBackfill(record: BackfillRecord): Promise<void> {
    // UInt64 versions travel as text both ways: a JS number holds 53 bits.
    const { rows } = await this.store.query<{ v: string }>('SELECT toString(max(version)) AS v FROM backfills WHERE id = {id:String}', { id: record.id });
    const version = backfillVersion(record.state, BigInt(rows[0]?.v ?? '0'), Date.now());
    await this.store.insertRows('backfills', [
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
        version: version.toString(),
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

  async savePlan(backfillId: string, units: ListUnit[]): Promise<void> {
    // The checkpoint columns (token, done, pages, counters) are those of listings before migration 5; listed pages now go to backfill_pages.
    await this.store.insertRows(
      'backfill_units',
      units.map((u) => ({
        backfill_id: backfillId,
        prefix: u.prefix,
        filter: JSON.stringify(u.filter),
        unit_time: chTime(u.time),
        token: '',
        done: 0,
        pages: 0,
        seen: 0,
        enqueued: 0,
        ignored: 0,
        version: 0,
      }))
    );
  }

  async plan(backfillId: string): Promise<ListUnit[]> {
    const { rows } = await this.store.query<UnitDbRow>(
      'SELECT prefix, filter, unit_time FROM backfill_units FINAL WHERE backfill_id = {id:String} ORDER BY prefix',
      {
        id: backfillId,
      }
    );
    return rows.map((r) => ({ prefix: r.prefix, filter: JSON.parse(r.filter) as ObjectFilter, time: toMs(r.unit_time) }));
  }

  async recordPage(backfillId: string, page: PageRecord): Promise<void> {
    await this.store.insertRows('backfill_pages', [
      {
        backfill_id: backfillId,
        prefix: page.prefix,
        page: page.page,
        token: page.token,
        next_token: page.nextToken,
        seen: page.seen,
        enqueued: page.enqueued,
        ignored: page.ignored,
        listed_at: toClickHouseTime(Date.now()),
      },
    ]);
  }

  async pageRecorded(backfillId: string, prefix: string, page: number): Promise<boolean> {
    const { rows } = await this.store.query<{ n: number }>(
      'SELECT count() AS n FROM backfill_pages WHERE backfill_id = {id:String} AND prefix = {prefix:String} AND page = {page:UInt32}',
      { id: backfillId, prefix, page }
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  async recordListed(backfillId: string, objects: ListedRow[]): Promise<void> {
    const now = toClickHouseTime(Date.now());
    await this.store.insertRows(
      'backfill_listed',
      objects.map((o) => ({ backfill_id: backfillId, key: o.key, etag: o.etag, size: o.size, key_time: toClickHouseTime(o.keyTime), listed_at: now }))
    );
  }

  async recordHandled(rows: HandledRow[]): Promise<void> {
    const now = toClickHouseTime(Date.now());
    await this.store.insertRows(
      'backfill_objects',
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

  /** Counters of each backfill, from its plan, listed pages, listed objects and handled objects. */
  async progress(ids: string[]): Promise<Map<string, ProgressRow>> {
    const params = { ids };
    // Pages first: a page is recorded after its objects, so the objects counted next include those of every page counted here.
    // A unit is listed when its last page is recorded (or, for a listing before migration 5, its checkpoint says done).
    const units = await this.store.query<Record<string, number | string>>(
      `SELECT u.backfill_id AS backfill_id, count() AS units, countIf(u.done = 1 OR p.last = 1) AS units_done, sum(u.pages + p.pages) AS pages,
           sum(u.seen + p.seen) AS seen, sum(u.ignored + p.ignored) AS ignored, sum(u.enqueued + p.enqueued) AS enqueued
         FROM (SELECT * FROM backfill_units FINAL WHERE backfill_id IN {ids:Array(String)}) AS u
         LEFT JOIN (${PAGES_PER_UNIT}) AS p ON u.backfill_id = p.backfill_id AND u.prefix = p.prefix
         GROUP BY u.backfill_id`,
      params
    );
    const [listed, handled] = await Promise.all([
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
      const t = (v: unknown) => (typeof v === 'string' && v ? toMs(v) : null);
      out.set(id, {
        units: n(u.units),
        unitsDone: n(u.units_done),
        pages: n(u.pages),
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

  async pendingHours(ids: string[], from: number, to: number): Promise<PerHour> {
    if (ids.length === 0) {
      return new Map();
    }
    const { rows } = await this.store.query<{ hour: number; n: number }>(
      `SELECT hour, count() AS n FROM (
         SELECT arrayJoin(arrayDistinct([intDiv(toUnixTimestamp(key_time), 3600), intDiv(toUnixTimestamp(key_time - INTERVAL ${KEY_LAG}), 3600)])) AS hour
         FROM backfill_listed FINAL
         WHERE backfill_id IN {ids:Array(String)}
           AND key_time >= {from:${TIME_TYPE}} - INTERVAL 1 HOUR AND key_time < {to:${TIME_TYPE}} + INTERVAL 1 HOUR
           AND (backfill_id, key, etag) NOT IN (SELECT backfill_id, key, etag FROM backfill_objects WHERE backfill_id IN {ids:Array(String)}))
       GROUP BY hour`,
      { ids, from: toClickHouseTime(from), to: toClickHouseTime(to) }
    );
    return new Map(rows.map((r) => [Number(r.hour), Number(r.n)]));
  }

  async unlistedUnits(ids: string[]): Promise<Array<{ backfillId: string; time: number | null }>> {
    if (ids.length === 0) {
      return [];
    }
    const { rows } = await this.store.query<{ backfill_id: string; unit_time: string | null }>(
      `SELECT u.backfill_id AS backfill_id, u.unit_time AS unit_time
       FROM (SELECT * FROM backfill_units FINAL WHERE backfill_id IN {ids:Array(String)}) AS u
       LEFT JOIN (${PAGES_PER_UNIT}) AS p ON u.backfill_id = p.backfill_id AND u.prefix = p.prefix
       WHERE u.done = 0 AND p.last = 0`,
      { ids }
    );
    return rows.map((r) => ({ backfillId: r.backfill_id, time: toMs(r.unit_time) }));
  }

  /** How many backfills are in each state. */
  async countsByState(): Promise<Array<{ state: string; count: number }>> {
    const { rows } = await this.store.query<{ state: string; n: number }>('SELECT state, count() AS n FROM backfills FINAL GROUP BY state ORDER BY state');
    return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
  }
}

function toRecord(r: BackfillDbRow): BackfillRecord {
  return {
    id: r.id,
    sourceId: r.source_id,
    bucket: r.bucket,
    region: r.region,
    prefixes: r.prefixes,
    from: toMs(r.from_time),
    to: toMs(r.to_time),
    marginMinutes: Number(r.margin_minutes),
    order: r.sort_order === 'oldest' ? 'oldest' : 'newest',
    roleArn: r.role_arn || null,
    externalId: r.external_id || null,
    state: r.state as BackfillState,
    error: r.error,
    createdAt: toMs(r.created_at) ?? 0,
    updatedAt: toMs(r.updated_at) ?? 0,
    finishedAt: toMs(r.finished_at),
  };
}
