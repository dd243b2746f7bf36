import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerEntry, RejectedMessage } from '../../shared/api';
import { ChdbEventInserts } from './chdbEventInserts';
import { ChdbSessions } from './chdbSessions';
import { querySettings, settingsClause, TEXT_INSERT_SETTINGS } from './dialect';
import { takeLock, waitForLock } from './lock';
import { applyMigrations } from './migrate';
import { findInLedger, toLedgerRow } from './ledger';
import { toRejectedRow } from './rejected';
import type { EventRow } from './eventColumns';
import { encodeEvents, insertBody, type EncodedRow } from './rowBinary';
import type { ObjectVersion, QueryOptions, QueryParams, QueryResult, Store } from './store';

interface JsonResult<T> {
  meta: Array<{ name: string; type: string }>;
  data: T[];
  /** What the query read from storage (chDB's result.rowsRead/bytesRead count the result instead). */
  statistics?: { rows_read: number; bytes_read: number };
}

/** Statements that may run at once besides event inserts: API queries, detections, bookkeeping. */
const STATEMENT_SESSIONS = 4;

function lockFileOf(path: string): string {
  return join(path, 'lookback.lock');
}

/** The embedded store: ClickHouse in-process (chDB), data in a local directory. */
export class ChdbStore implements Store {
  readonly kind = 'chdb' as const;
  /** Queries, statements and the small inserts; event inserts have sessions of their own. */
  private readonly sessions: ChdbSessions;
  private readonly eventInserts: ChdbEventInserts;
  private readonly lockFile: string;

  /** Opens the store in `path`; throws StoreLockedError at once when another process holds it. */
  constructor(readonly path: string) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    this.lockFile = lockFileOf(path);
    takeLock(this.lockFile);
    this.sessions = new ChdbSessions(path, STATEMENT_SESSIONS);
    this.eventInserts = new ChdbEventInserts(path);
  }

  describe(): string {
    return `chDB in ${this.path}`;
  }

  async version(): Promise<string> {
    const { rows } = await this.query<{ v: string }>('SELECT version() AS v');
    return rows[0].v;
  }

  /** Opens the store, waiting up to `lockWaitMs` for a process still holding it to exit. */
  static async open(path: string, lockWaitMs: number, waiting: (pid: number) => void): Promise<ChdbStore> {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    await waitForLock(lockFileOf(path), lockWaitMs, waiting);
    return new ChdbStore(path);
  }

  migrate(): Promise<number> {
    return applyMigrations(this);
  }

  insertEvents(rows: EventRow[], dedupToken: string): Promise<void> {
    return this.insertEncodedEvents(encodeEvents(rows), dedupToken);
  }

  async insertEncodedEvents(rows: EncodedRow[], dedupToken: string): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.eventInserts.insert(insertBody(rows), dedupToken);
  }

  async recordObjects(entries: Array<LedgerEntry & { queue: string }>): Promise<void> {
    await this.insertRows('ingest_ledger', entries.map(toLedgerRow));
  }

  findObjects(objects: ObjectVersion[]): Promise<LedgerEntry[]> {
    return findInLedger(this, objects);
  }

  async recordRejected(message: RejectedMessage): Promise<void> {
    await this.insertRows('rejected_messages', [toRejectedRow(message)]);
  }

  async query<T = Record<string, unknown>>(sql: string, params: QueryParams = {}, options: QueryOptions = {}): Promise<QueryResult<T>> {
    const text = `${sql}${optionsClause(options)}`;
    const result = await this.sessions.run((session) => session.queryBindAsync(text, params, { format: 'JSON', signal: options.signal }));
    const body = result.text();
    const parsed = body ? lastJsonDocument<T>(body) : { meta: [], data: [] };
    return {
      rows: parsed.data,
      meta: parsed.meta,
      rowsRead: parsed.statistics?.rows_read ?? result.rowsRead,
      bytesRead: parsed.statistics?.bytes_read ?? result.bytesRead,
      elapsedMs: result.elapsed * 1000,
    };
  }

  async exec(sql: string, params: QueryParams = {}): Promise<void> {
    await this.sessions.run((session) => session.queryBindAsync(sql, params, { format: 'Null' }));
  }

  async ping(): Promise<void> {
    await this.sessions.run((session) => session.queryAsync('SELECT 1', { format: 'Null' }));
  }

  async close(): Promise<void> {
    this.eventInserts.close();
    this.sessions.close();
    rmSync(this.lockFile, { force: true });
  }

  async insertRows(table: string, rows: object[], dedupToken?: string): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.sessions.run((session) =>
      session.insert({
        table,
        values: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')),
        format: 'JSONEachRow',
        settings: dedupToken ? { ...TEXT_INSERT_SETTINGS, insert_deduplication_token: dedupToken } : TEXT_INSERT_SETTINGS,
      })
    );
  }
}

/**
 * chDB 3.4 keeps the output a query wrote before it failed (a timeout, a bad value) and hands
 * it out ahead of the next query's result, so a body can hold two JSON documents: ours is the last.
 */
function lastJsonDocument<T>(body: string): JsonResult<T> {
  try {
    return JSON.parse(body) as JsonResult<T>;
  } catch (err) {
    const start = body.lastIndexOf('\n{\n\t"meta":');
    if (start < 0) {
      throw err;
    }
    return JSON.parse(body.slice(start + 1)) as JsonResult<T>;
  }
}

function optionsClause(options: QueryOptions): string {
  return `\nSETTINGS ${settingsClause(querySettings(options))}`;
}
