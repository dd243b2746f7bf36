import type { LedgerEntry, RejectedMessage } from '../../shared/api';
import type { EventRow } from './eventColumns';
import type { EncodedRow } from './rowBinary';

export type QueryParams = Record<string, unknown>;

export interface QueryOptions {
  /** Run with readonly=1 and these limits (query API). */
  readonly?: boolean;
  maxExecutionSeconds?: number;
  maxResultRows?: number;
  maxMemoryBytes?: number;
  /**
   * Stops waiting when aborted (the HTTP request that asked is gone). A ClickHouse server also
   * stops the query; chDB cannot interrupt a statement, which finishes in the background.
   */
  signal?: AbortSignal;
  /** The server's id for the query (KILL QUERY, system.query_log); chDB has none. */
  queryId?: string;
}

export interface QueryResult<T> {
  rows: T[];
  meta: Array<{ name: string; type: string }>;
  rowsRead: number;
  bytesRead: number;
  elapsedMs: number;
}

/** One version of an S3 object, as the ledger names it. */
export interface ObjectVersion {
  bucket: string;
  key: string;
  etag: string;
}

/** A string that names one object version, for maps and sets. */
export function versionKey(o: ObjectVersion): string {
  return JSON.stringify([o.bucket, o.key, o.etag]);
}

/**
 * The indexed store: chDB (embedded, `chdb.ts`) or a ClickHouse server or cluster
 * (`clickhouse.ts`). Both run the same migrations and the same SQL; where they must differ,
 * `dialect.ts` says so.
 */
export interface Store {
  readonly kind: 'chdb' | 'clickhouse';
  /** Where the data lives, for logs and health: a directory, or a server URL (never a password). */
  describe(): string;
  /** The ClickHouse version that runs the SQL. */
  version(): Promise<string>;
  migrate(): Promise<number>;
  /** Inserts one block of events. The token makes a repeated insert of the same block a no-op. */
  insertEvents(rows: EventRow[], dedupToken: string): Promise<void>;
  /** insertEvents, the rows already encoded (as ingest holds them while a block fills). */
  insertEncodedEvents(rows: EncodedRow[], dedupToken: string): Promise<void>;
  recordObjects(entries: Array<LedgerEntry & { queue: string }>): Promise<void>;
  /**
   * Inserts rows (column name → value, times as text) into a table. Rows travel in the request
   * body, so a batch has no size limit beyond memory (a server caps each query parameter at 128 KiB).
   * With a token, a second insert of that token into a table with a deduplication window is
   * dropped, whatever its rows: the first writer wins.
   */
  insertRows(table: string, rows: object[], dedupToken?: string): Promise<void>;
  /** The ledger entries of those of these objects that were ingested, in no particular order. */
  findObjects(objects: ObjectVersion[]): Promise<LedgerEntry[]>;
  recordRejected(message: RejectedMessage): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams, options?: QueryOptions): Promise<QueryResult<T>>;
  /** A statement with no result (DDL, INSERT ... SELECT). */
  exec(sql: string, params?: QueryParams): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
