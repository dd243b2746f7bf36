import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { LedgerEntry, RejectedMessage } from '../../shared/api';
import { eventInsertSettings, querySettings, TEXT_INSERT_SETTINGS } from './dialect';
import { StoreQueryError, StoreUnavailableError, toStoreError } from './errors';
import { findInLedger, toLedgerRow } from './ledger';
import { toRejectedRow } from './rejected';
import { applyMigrations } from './migrate';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry';
import { encodeEvents, insertBody, type EncodedRow } from './rowBinary';
import { EVENT_COLUMNS, type EventRow } from './eventColumns';
import type { ObjectVersion, QueryOptions, QueryParams, QueryResult, Store } from './store';

export interface ClickHouseOptions {
  url: string;
  username: string;
  password: string;
  database: string;
  /** Set: the tables are replicated across this cluster and the events sharded (dialect.ts). */
  cluster?: string;
  /** PEM: the CA that signed the server's certificate, and the client's certificate and key for mutual TLS. */
  tls?: { ca: Buffer; cert?: Buffer; key?: Buffer };
  /** How long a request may go without a byte from the server. */
  requestTimeoutSeconds: number;
  retry?: RetryPolicy;
  /** How `insertEvents` sends rows: RowBinary, or JSONEachRow (what the benchmark compares it with). Encoded rows are RowBinary already. */
  eventFormat?: 'RowBinary' | 'JSONEachRow';
}

/** The oldest server the schema runs on: the events table's full-text index is generally available from 26.2. */
export const MIN_SERVER_VERSION = [26, 2];

const INSERT_EVENTS_ROWBINARY = `INSERT INTO events (${EVENT_COLUMNS.map((c) => c.name).join(', ')}) FORMAT RowBinary`;

/**
 * The store on a ClickHouse server or cluster, through the official HTTP client. Same migrations
 * and SQL as chDB (see dialect.ts for where they differ); transient network errors are retried;
 * a query stops on the server when its caller's signal aborts.
 */
export class ClickHouseStore implements Store {
  readonly kind = 'clickhouse' as const;
  private readonly client: ClickHouseClient;
  private readonly retry: RetryPolicy;

  private constructor(private readonly options: ClickHouseOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.client = createClient({
      url: options.url,
      username: options.username,
      password: options.password,
      database: options.database,
      request_timeout: options.requestTimeoutSeconds * 1000,
      application: 'lookback',
      // Large parameter sets (ledger lookups) go in the body, out of reach of proxies' URL limits.
      use_multipart_params_auto: true,
      ...(options.tls
        ? {
            tls: options.tls.cert && options.tls.key ? { ca_cert: options.tls.ca, cert: options.tls.cert, key: options.tls.key } : { ca_cert: options.tls.ca },
          }
        : {}),
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  /**
   * A store on the server, once it answered: reachable, the login accepted, the database there
   * and the version recent enough. Otherwise a StoreUnavailableError that says which and where.
   */
  static async connect(options: ClickHouseOptions): Promise<ClickHouseStore> {
    const store = new ClickHouseStore(options);
    try {
      checkServerVersion(await store.version());
      return store;
    } catch (err) {
      await store.close();
      throw new StoreUnavailableError(`ClickHouse at ${store.describe()}: ${unavailableReason(err, options)}`);
    }
  }

  describe(): string {
    const url = new URL(this.options.url);
    url.username = '';
    url.password = '';
    url.search = '';
    const where = `${url.toString()} database ${this.options.database}`;
    return this.options.cluster ? `${where} cluster ${this.options.cluster}` : where;
  }

  async version(): Promise<string> {
    const { rows } = await this.query<{ v: string }>('SELECT version() AS v');
    return rows[0].v;
  }

  async migrate(): Promise<number> {
    try {
      return await applyMigrations(this, this.options.cluster);
    } catch (err) {
      throw new StoreUnavailableError(`ClickHouse at ${this.describe()}: the schema migrations failed: ${(err as Error).message}`);
    }
  }

  async insertEvents(rows: EventRow[], dedupToken: string): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    if (this.options.eventFormat === 'JSONEachRow') {
      await this.send(() =>
        this.client.insert({
          table: 'events',
          values: rows,
          format: 'JSONEachRow',
          clickhouse_settings: { ...TEXT_INSERT_SETTINGS, ...eventInsertSettings(dedupToken, this.options.cluster) },
        })
      );
      return;
    }
    await this.insertEncodedEvents(encodeEvents(rows), dedupToken);
  }

  async insertEncodedEvents(rows: EncodedRow[], dedupToken: string): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    const body = insertBody(rows);
    await this.send(async () => {
      const { stream } = await this.client.exec({
        query: INSERT_EVENTS_ROWBINARY,
        values: Readable.from(body),
        clickhouse_settings: eventInsertSettings(dedupToken, this.options.cluster),
      });
      // The response has no rows, but the socket goes back to the pool only once it is read.
      await finished(stream.resume());
    });
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

  async insertRows(table: string, rows: object[], dedupToken?: string): Promise<void> {
    if (rows.length > 0) {
      const settings = dedupToken ? { ...TEXT_INSERT_SETTINGS, insert_deduplication_token: dedupToken } : TEXT_INSERT_SETTINGS;
      await this.send(() => this.client.insert({ table, values: rows, format: 'JSONEachRow', clickhouse_settings: settings }));
    }
  }

  async query<T = Record<string, unknown>>(sql: string, params: QueryParams = {}, options: QueryOptions = {}): Promise<QueryResult<T>> {
    const settings = querySettings(options);
    if (options.readonly) {
      // The server stops a read-only query when its connection closes (the signal aborted it).
      settings.cancel_http_readonly_queries_on_client_close = 1;
    }
    // A retry gets an id of its own: the attempt it replaces may still run on the server.
    const baseId = options.queryId ?? randomUUID();
    let queryId = baseId;
    let attempt = 0;
    const kill = () => void this.kill(queryId);
    options.signal?.addEventListener('abort', kill, { once: true });
    try {
      const started = Date.now();
      const result = await this.send(async () => {
        queryId = attempt++ === 0 ? baseId : `${baseId}-retry${attempt - 1}`;
        const rs = await this.client.query({
          query: sql,
          format: 'JSON',
          query_params: params,
          clickhouse_settings: settings,
          query_id: queryId,
          abort_signal: options.signal,
        });
        return rs.json<T>();
      }, options.signal);
      return {
        rows: result.data,
        meta: result.meta ?? [],
        rowsRead: Number(result.statistics?.rows_read ?? 0),
        bytesRead: Number(result.statistics?.bytes_read ?? 0),
        elapsedMs: result.statistics ? result.statistics.elapsed * 1000 : Date.now() - started,
      };
    } finally {
      options.signal?.removeEventListener('abort', kill);
    }
  }

  async exec(sql: string, params: QueryParams = {}): Promise<void> {
    await this.send(() => this.client.command({ query: sql, query_params: params, clickhouse_settings: querySettings() }));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Stops a query on the server, for when the connection's close does not reach it (a proxy between). */
  private async kill(queryId: string): Promise<void> {
    try {
      await this.client.command({
        query: 'KILL QUERY WHERE query_id = {id:String} ASYNC',
        query_params: { id: queryId },
      });
    } catch {
      // Best effort: the query may be over, or the server unreachable, which its own limits cover.
    }
  }

  /** One request, retried after transient failures, its server errors as StoreQueryErrors. */
  private send<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const timeout = this.options.requestTimeoutSeconds;
    return withRetries(() => request().catch((err: unknown) => Promise.reject(toStoreError(err, timeout))), this.retry, signal);
  }
}

/** Throws unless the server runs the schema (MIN_SERVER_VERSION or newer). */
export function checkServerVersion(version: string): void {
  const [major, minor] = version.split('.').map(Number);
  const [needMajor, needMinor] = MIN_SERVER_VERSION;
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    throw new Error(`server version ${version} is too old: Lookback's schema needs ClickHouse ${needMajor}.${needMinor} or newer (full-text index)`);
  }
}

function unavailableReason(err: unknown, options: ClickHouseOptions): string {
  if (err instanceof StoreQueryError) {
    const said = `${err.detail.replace(/^[^:\s]+: /, '')} (${err.type}, code ${err.code})`;
    if ([192, 193, 194, 516].includes(err.code)) {
      return `user "${options.username}" was refused: ${said}`;
    }
    if (err.code === 81) {
      const onCluster = options.cluster ? ` ON CLUSTER '${options.cluster}'` : '';
      return `database "${options.database}" does not exist: create it first (CREATE DATABASE ${options.database}${onCluster})`;
    }
    return said;
  }
  const message = (err as Error).message ?? String(err);
  const errno = (err as NodeJS.ErrnoException).code;
  if (message.startsWith('server version')) {
    return message;
  }
  return `cannot reach the server: ${message}${errno && !message.includes(errno) ? ` (${errno})` : ''}`;
}
