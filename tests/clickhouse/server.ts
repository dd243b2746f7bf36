/*
 * TEST-ONLY. NOT PART OF LOOKBACK. A small HTTP server that speaks the subset of ClickHouse's HTTP
 * interface that @clickhouse/client uses, and runs every statement on chDB, which is the
 * ClickHouse engine itself, in-process. It exists because these machines have no ClickHouse
 * server: the store tests and bench/storeInsert.ts run the ClickHouse-server store through it,
 * over real HTTP, with the real client. It is never built into the sidecar.
 *
 * What it speaks, as ClickHouse does:
 * - `GET /ping` → `Ok.`; `GET|POST /?query=…`, the query in the URL, the body, or both (URL first);
 *   a multipart/form-data body with `query` and `param_*` fields (the client's large parameters).
 * - `param_<name>` bindings for `{name:Type}` placeholders; every other unknown URL parameter is a
 *   setting (`insert_deduplication_token`, `max_execution_time`, `readonly`, …); `database`,
 *   `query_id`, `default_format`; `X-ClickHouse-User`/`-Key`/`-Database`/`-Format` headers.
 * - Login by HTTP basic auth, the X-ClickHouse headers or `user`/`password` parameters; a wrong one
 *   gets ClickHouse's answer: 403, X-ClickHouse-Exception-Code 516 and its message.
 * - `INSERT … FORMAT <any format chDB reads>` with the data as the body (JSONEachRow, RowBinary, …).
 * - Errors as ClickHouse sends them: the HTTP status ClickHouse maps the error to (500 unless listed
 *   below), `X-ClickHouse-Exception-Code`, and the engine's message `Code: N. DB::Exception: …
 *   (NAME) (version V)`. GET requests are read-only. A URL parameter or form field is capped at
 *   128 KiB (http_max_field_value_size).
 * - gzip/deflate request bodies; gzip responses when `enable_http_compression=1` asks.
 * - Responses carry X-ClickHouse-Query-Id, -Format, -Timezone, -Summary.
 *
 * Where it cannot be the server, and what it does instead:
 * - chDB runs one statement at a time, so requests queue.
 * - Settings of reads and inserts go into the statement's SETTINGS clause; other statements (DDL)
 *   get them by SET before and SET … = DEFAULT after, and are refused under readonly.
 * - chDB cannot interrupt a statement. A request whose connection closes (with
 *   cancel_http_readonly_queries_on_client_close=1) or that `KILL QUERY WHERE query_id = …` names
 *   is answered with QUERY_WAS_CANCELLED at once, but its statement finishes in the background.
 * - No sessions, no external tables, no progress headers, no ON CLUSTER (chDB has no Keeper).
 * - For tests only: the harness (start.ts) can make the next requests fail (connection reset
 *   before or after running them) or wait, and can read back what the server received.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createGunzip, createInflate, gzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Session } from 'chdb';
import {
  HTTP_SETTINGS,
  insertFromFile,
  insertWithData,
  killedQueryId,
  outputFormat,
  paramValue,
  placeholderTypes,
  settingsList,
  splitParameters,
  statementKind,
  withSettings,
  type Settings,
  type StatementKind,
} from './statements';

export interface ServerOptions {
  /** user → password; default: `default` with no password. */
  users?: Record<string, string>;
  tls?: { cert: Buffer; key: Buffer };
}

/** What the server received, for tests to assert on. */
export interface RequestRecord {
  queryId: string;
  user: string;
  kind: StatementKind | 'ping';
  statement: string;
  settings: Settings;
  status: number;
  /** The connection closed or a KILL named it before the answer. */
  cancelled: boolean;
}

export type Fault = { kind: 'reset-before' | 'reset-after' } | { kind: 'delay'; ms: number };

const MAX_FIELD_BYTES = 128 * 1024;
const ERROR_STATUS: Array<[number, string[]]> = [
  [401, ['REQUIRED_PASSWORD']],
  [403, ['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED']],
  [
    400,
    [
      'BAD_ARGUMENTS',
      'CANNOT_COMPILE_REGEXP',
      'CANNOT_PARSE_TEXT',
      'CANNOT_PARSE_ESCAPE_SEQUENCE',
      'CANNOT_PARSE_QUOTED_STRING',
      'CANNOT_PARSE_DATE',
      'CANNOT_PARSE_DATETIME',
      'CANNOT_PARSE_NUMBER',
      'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
      'CANNOT_PARSE_IPV4',
      'CANNOT_PARSE_IPV6',
      'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      'CANNOT_PARSE_UUID',
      'DUPLICATE_COLUMN',
      'ILLEGAL_COLUMN',
      'UNKNOWN_ELEMENT_IN_AST',
      'UNKNOWN_TYPE_OF_AST_NODE',
      'THERE_IS_NO_COLUMN',
      'TOO_DEEP_AST',
      'TOO_BIG_AST',
      'UNEXPECTED_AST_STRUCTURE',
      'SYNTAX_ERROR',
      'INCORRECT_DATA',
      'TYPE_MISMATCH',
      'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
    ],
  ],
  [
    404,
    [
      'UNKNOWN_TABLE',
      'UNKNOWN_FUNCTION',
      'UNKNOWN_IDENTIFIER',
      'UNKNOWN_TYPE',
      'UNKNOWN_STORAGE',
      'UNKNOWN_DATABASE',
      'UNKNOWN_SETTING',
      'UNKNOWN_DIRECTION_OF_SORTING',
      'UNKNOWN_AGGREGATE_FUNCTION',
      'UNKNOWN_FORMAT',
      'UNKNOWN_DATABASE_ENGINE',
      'UNKNOWN_TYPE_OF_QUERY',
      'UNKNOWN_ROLE',
    ],
  ],
  [413, ['QUERY_IS_TOO_LARGE']],
  [501, ['NOT_IMPLEMENTED']],
  [503, ['SOCKET_TIMEOUT', 'CANNOT_OPEN_FILE', 'CANNOT_SCHEDULE_TASK']],
  [411, ['HTTP_LENGTH_REQUIRED']],
  [408, ['TIMEOUT_EXCEEDED']],
  [415, ['UNSUPPORTED_MEDIA_TYPE']],
];
const STATUS_OF = new Map(ERROR_STATUS.flatMap(([status, names]) => names.map((name) => [name, status] as const)));

/** An error as ClickHouse reports it. */
class ServerError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    readonly detail: string
  ) {
    super(`Code: ${code}. DB::Exception: ${detail}. (${type})`);
  }
}

/** chDB's error message (`Code: 60. DB::Exception: … (UNKNOWN_TABLE)`) as a ServerError. */
function engineError(err: unknown): ServerError {
  const message = (err as Error).message ?? String(err);
  const m = /^Code: (\d+)\. DB::Exception: ([\s\S]*?)\.? \((\w+)\)\s*$/.exec(message);
  return m ? new ServerError(Number(m[1]), m[3], m[2]) : new ServerError(1001, 'STD_EXCEPTION', message);
}

interface Job {
  record: RequestRecord;
  cancel(): void;
}

export class ClickHouseTestServer {
  readonly server: Server;
  readonly requests: RequestRecord[] = [];
  private readonly faults: Fault[] = [];
  private readonly running = new Map<string, Job>();
  private readonly users: Record<string, string>;
  private readonly scratch = mkdtempSync(join(tmpdir(), 'lookback-chserver-'));
  private queue: Promise<unknown> = Promise.resolve();
  private database = 'default';

  constructor(
    private readonly session: Session,
    readonly version: string,
    options: ServerOptions = {}
  ) {
    this.users = options.users ?? { default: '' };
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    // A URL may be as long as ClickHouse takes (http_max_uri_size, 1 MiB).
    this.server = options.tls
      ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, maxHeaderSize: 1024 * 1024 + 16384 }, handler)
      : createHttpServer({ maxHeaderSize: 1024 * 1024 + 16384 }, handler);
  }

  /** The next requests fail or wait, one fault each. */
  inject(faults: Fault[]): void {
    this.faults.push(...faults);
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://test');
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'reset-before') {
      req.socket.destroy();
      return;
    }
    const queryId = url.searchParams.get('query_id') || randomUUID();
    const record: RequestRecord = {
      queryId,
      user: '',
      kind: 'other',
      statement: '',
      settings: {},
      status: 200,
      cancelled: false,
    };
    this.requests.push(record);
    let output: { body: Buffer; format: string; summary: object };
    let compress = false;
    try {
      const body = await readBody(req);
      const fields = [...url.searchParams.entries()];
      const contentType = req.headers['content-type'] ?? '';
      let text = body.toString('utf8');
      if (contentType.startsWith('multipart/form-data')) {
        fields.push(...multipartFields(body, /boundary=([^;]+)/.exec(contentType)?.[1] ?? ''));
        text = '';
      }
      for (const [name, value] of fields) {
        if (encodeURIComponent(value).length > MAX_FIELD_BYTES) {
          throw new ServerError(1000, 'POCO_EXCEPTION', `HTML Form Exception: Field value too long (${name})`);
        }
      }
      const { request, params, settings } = splitParameters(fields);
      record.user = this.authenticate(req, request);
      compress = settings.enable_http_compression === '1' && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const urlQuery = request.query ?? '';
      const insert = urlQuery && text ? insertWithData(urlQuery) : undefined;
      const sql = insert ? urlQuery : [urlQuery, text].filter(Boolean).join('\n');
      record.statement = sql.slice(0, 2000);
      record.kind = statementKind(sql);
      record.settings = settings;
      if (!sql.trim()) {
        throw new ServerError(62, 'SYNTAX_ERROR', 'Empty query');
      }
      const database = String(req.headers['x-clickhouse-database'] ?? request.database ?? 'default');
      const defaultFormat = String(req.headers['x-clickhouse-format'] ?? request.default_format ?? 'TabSeparated');
      const readonly = req.method === 'GET' || Number(settings.readonly ?? 0) > 0;
      if (readonly && record.kind !== 'read' && record.kind !== 'kill') {
        throw new ServerError(164, 'READONLY', `${record.user}: Cannot execute query in readonly mode`);
      }
      const killed = record.kind === 'kill' ? killedQueryId(sql, params) : undefined;
      if (killed !== undefined) {
        output = this.kill(killed, record.user, defaultFormat);
      } else {
        output = await this.run(req, record, {
          sql,
          insert,
          data: insert ? body : undefined,
          params,
          settings,
          database,
          defaultFormat,
        });
      }
    } catch (err) {
      const error = err instanceof ServerError ? err : engineError(err);
      record.status = STATUS_OF.get(error.type) ?? 500;
      if (!res.destroyed) {
        res
          .writeHead(record.status, {
            'content-type': 'text/plain; charset=UTF-8',
            'x-clickhouse-exception-code': String(error.code),
            'x-clickhouse-query-id': queryId,
            'x-clickhouse-server-display-name': 'lookback-test-server',
          })
          .end(`${error.message} (version ${this.version})\n`);
      }
      return;
    }
    if (fault?.kind === 'reset-after') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
    }
    const headers: Record<string, string> = {
      'content-type': /^JSON/.test(output.format) ? 'application/json; charset=UTF-8' : 'text/plain; charset=UTF-8',
      'x-clickhouse-query-id': queryId,
      'x-clickhouse-format': output.format,
      'x-clickhouse-timezone': 'UTC',
      'x-clickhouse-server-display-name': 'lookback-test-server',
      'x-clickhouse-summary': JSON.stringify(output.summary),
    };
    if (compress) {
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(200, headers).end(compress ? gzipSync(output.body) : output.body);
  }

  private authenticate(req: IncomingMessage, request: Record<string, string>): string {
    let user = 'default';
    let password = '';
    const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      [user, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    } else if (req.headers['x-clickhouse-user'] !== undefined) {
      user = String(req.headers['x-clickhouse-user']);
      password = String(req.headers['x-clickhouse-key'] ?? '');
    } else if (request.user !== undefined) {
      user = request.user;
      password = request.password ?? '';
    }
    if (this.users[user] === undefined || this.users[user] !== password) {
      throw new ServerError(516, 'AUTHENTICATION_FAILED', `${user}: Authentication failed: password is incorrect, or there is no user with such name`);
    }
    return user;
  }

  private kill(queryId: string, user: string, format: string): { body: Buffer; format: string; summary: object } {
    const job = this.running.get(queryId);
    job?.cancel();
    const row = job ? `finished\t${queryId}\t${user}\t${job.record.statement.replace(/\s+/g, ' ')}\n` : '';
    return { body: Buffer.from(row), format, summary: summary(0, 0, 0) };
  }

  /** Queues the statement on chDB; answers QUERY_WAS_CANCELLED at once if the request is cancelled meanwhile. */
  private run(
    req: IncomingMessage,
    record: RequestRecord,
    statement: {
      sql: string;
      insert?: ReturnType<typeof insertWithData>;
      data?: Buffer;
      params: Record<string, string>;
      settings: Settings;
      database: string;
      defaultFormat: string;
    }
  ): Promise<{ body: Buffer; format: string; summary: object }> {
    return new Promise((resolve, reject) => {
      const cancel = () => {
        if (!record.cancelled) {
          record.cancelled = true;
          reject(new ServerError(394, 'QUERY_WAS_CANCELLED', 'Query was cancelled'));
        }
      };
      const job: Job = { record, cancel };
      this.running.set(record.queryId, job);
      if (statement.settings.cancel_http_readonly_queries_on_client_close === '1') {
        req.socket.once('close', cancel);
      }
      const work = this.queue.then(async () => {
        if (record.cancelled) {
          return; // Never started: the server drops a cancelled query before it runs.
        }
        try {
          resolve(await this.execute(statement));
        } catch (err) {
          reject(err);
        } finally {
          this.running.delete(record.queryId);
          req.socket.off('close', cancel);
        }
      });
      this.queue = work.catch(() => undefined);
    });
  }

  private async execute(statement: {
    sql: string;
    insert?: ReturnType<typeof insertWithData>;
    data?: Buffer;
    params: Record<string, string>;
    settings: Settings;
    database: string;
    defaultFormat: string;
  }): Promise<{ body: Buffer; format: string; summary: object }> {
    const engineSettings = Object.fromEntries(Object.entries(statement.settings).filter(([name]) => !HTTP_SETTINGS.has(name)));
    if (statement.database !== this.database) {
      await this.engine(`USE ${statement.database.replace(/[^\w]/g, '')}`);
      this.database = statement.database;
    }
    const kind = statementKind(statement.sql);
    if (statement.insert && statement.data) {
      const file = join(this.scratch, `${randomUUID()}.data`);
      writeFileSync(file, statement.data);
      try {
        const result = await this.engine(insertFromFile(statement.insert, file, engineSettings));
        return {
          body: Buffer.alloc(0),
          format: statement.insert.format,
          summary: summary(result.rowsRead, result.bytesRead, result.elapsed),
        };
      } finally {
        rmSync(file, { force: true });
      }
    }
    const types = placeholderTypes(statement.sql);
    const params = Object.fromEntries(Object.entries(statement.params).map(([name, raw]) => [name, paramValue(raw, types.get(name))]));
    const format = outputFormat(statement.sql, statement.defaultFormat);
    if (kind === 'read' || kind === 'insert') {
      const result = await this.engine(withSettings(statement.sql, kind, engineSettings), params, statement.defaultFormat);
      return {
        body: Buffer.from(result.bytes()),
        format,
        summary: summary(result.rowsRead, result.bytesRead, result.elapsed),
      };
    }
    const names = Object.keys(engineSettings);
    for (const name of names) {
      await this.engine(`SET ${settingsList({ [name]: engineSettings[name] })}`);
    }
    try {
      const result = await this.engine(statement.sql, params, statement.defaultFormat);
      return {
        body: Buffer.from(result.bytes()),
        format,
        summary: summary(result.rowsRead, result.bytesRead, result.elapsed),
      };
    } finally {
      for (const name of names) {
        await this.engine(`SET ${name} = DEFAULT`).catch(() => undefined);
      }
    }
  }

  /** One statement on chDB. After a failure chDB hands the failed statement's output to the next one: a throwaway query takes it. */
  private async engine(sql: string, params: Record<string, unknown> = {}, format = 'TabSeparated') {
    try {
      return await this.session.queryBindAsync(sql, params, { format });
    } catch (err) {
      await this.session.queryAsync('SELECT 1 FORMAT Null').catch(() => undefined);
      throw err;
    }
  }
}

function summary(rows: number, bytes: number, elapsedSeconds: number): object {
  const n = (v: number) => String(Math.round(v || 0));
  return {
    read_rows: n(rows),
    read_bytes: n(bytes),
    written_rows: '0',
    written_bytes: '0',
    total_rows_to_read: '0',
    result_rows: '0',
    result_bytes: '0',
    elapsed_ns: n(elapsedSeconds * 1e9),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  let stream: Readable = req;
  if (encoding === 'gzip') {
    stream = req.pipe(createGunzip());
  } else if (encoding === 'deflate') {
    stream = req.pipe(createInflate());
  } else if (encoding && encoding !== 'identity') {
    throw new ServerError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unknown Content-Encoding: ${encoding}`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The named fields of a multipart/form-data body. */
function multipartFields(body: Buffer, boundary: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  const text = body.toString('utf8');
  for (const part of text.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) {
      break;
    }
    const split = part.indexOf('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(part.slice(0, split))?.[1];
    if (name !== undefined && split >= 0) {
      fields.push([name, part.slice(split + 4).replace(/\r\n$/, '')]);
    }
  }
  return fields;
}
