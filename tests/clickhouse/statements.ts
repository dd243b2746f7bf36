// TEST-ONLY (see server.ts): how the test server turns one HTTP request of ClickHouse's interface
// into the statements it runs on chDB. Never part of the product.

export type Settings = Record<string, string>;

/** URL parameters of ClickHouse's HTTP interface that are not settings. */
const REQUEST_PARAMETERS = new Set([
  'query',
  'database',
  'query_id',
  'user',
  'password',
  'quota_key',
  'session_id',
  'session_timeout',
  'session_check',
  'role',
  'default_format',
  'compress',
  'decompress',
  'buffer_size',
  'stacktrace',
]);

/** Settings about the HTTP exchange itself: the server acts on them (or has nothing to do), the engine never sees them. */
export const HTTP_SETTINGS = new Set([
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'enable_http_compression',
  'http_zlib_compression_level',
  'http_response_buffer_size',
  'http_native_compression_disable_checksumming_on_decompress',
  'cancel_http_readonly_queries_on_client_close',
  'http_wait_end_of_query',
]);

export function splitParameters(fields: Array<[string, string]>): {
  request: Record<string, string>;
  params: Record<string, string>;
  settings: Settings;
} {
  const request: Record<string, string> = {};
  const params: Record<string, string> = {};
  const settings: Settings = {};
  for (const [name, value] of fields) {
    if (name.startsWith('param_')) {
      params[name.slice('param_'.length)] = value;
    } else if (REQUEST_PARAMETERS.has(name)) {
      request[name] = value;
    } else {
      settings[name] = value;
    }
  }
  return { request, params, settings };
}

export type StatementKind = 'read' | 'insert' | 'kill' | 'other';

const LEADING_NOISE = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/;

export function statementKind(sql: string): StatementKind {
  const word = /^\w+/.exec(sql.replace(LEADING_NOISE, ''))?.[0]?.toUpperCase();
  switch (word) {
    case 'SELECT':
    case 'WITH':
    case 'SHOW':
    case 'DESCRIBE':
    case 'DESC':
    case 'EXPLAIN':
    case 'EXISTS':
      return 'read';
    case 'INSERT':
      return 'insert';
    case 'KILL':
      return 'kill';
    default:
      return 'other';
  }
}

/** `INSERT INTO t [(a, b)] [SETTINGS …] FORMAT F`, whose data is the request body. */
const INSERT_WITH_DATA = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?([\w.`"]+)\s*(\([^)]*\))?\s*(?:SETTINGS\s+([\s\S]*?)\s*)?FORMAT\s+(\w+)\s*$/i;
/** The head of any INSERT: where its SETTINGS clause goes. */
const INSERT_HEAD = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?[\w.`"]+\s*(?:\([^)]*\))?/i;

export interface InsertWithData {
  table: string;
  columns: string;
  inlineSettings: string;
  format: string;
}

export function insertWithData(sql: string): InsertWithData | undefined {
  const m = INSERT_WITH_DATA.exec(sql);
  return m ? { table: m[1], columns: m[2] ?? '', inlineSettings: m[3] ?? '', format: m[4] } : undefined;
}

/** The statement that inserts a body saved in `file`: chDB reads it with the insertion table's structure. */
export function insertFromFile(insert: InsertWithData, file: string, settings: Settings): string {
  const clause = [insert.inlineSettings, settingsList(settings)].filter(Boolean).join(', ');
  return `INSERT INTO ${insert.table} ${insert.columns} ${clause ? `SETTINGS ${clause}` : ''} SELECT * FROM file(${literal(file)}, ${insert.format})`;
}

/** The statement with the request's settings as its SETTINGS clause (reads and inserts; see server.ts for the rest). */
export function withSettings(sql: string, kind: StatementKind, settings: Settings): string {
  const list = settingsList(settings);
  if (!list) {
    return sql;
  }
  const body = sql.replace(/;\s*$/, '');
  if (kind === 'insert') {
    const head = INSERT_HEAD.exec(body);
    if (!head) {
      throw new Error(`test server: cannot place SETTINGS in this INSERT: ${body.slice(0, 80)}`);
    }
    return `${head[0]} SETTINGS ${list} ${body.slice(head[0].length)}`;
  }
  // After a trailing FORMAT or SETTINGS clause both parse; a newline ends a trailing comment.
  return `${body}\nSETTINGS ${list}`;
}

export function settingsList(settings: Settings): string {
  return Object.entries(settings)
    .map(([name, value]) => `${identifier(name)} = ${/^-?\d+(\.\d+)?$/.test(value) ? value : literal(value)}`)
    .join(', ');
}

/** The output format: the statement's FORMAT clause, else `default_format`, else TabSeparated (as the server). */
export function outputFormat(sql: string, defaultFormat?: string): string {
  return /\bFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql)?.[1] ?? defaultFormat ?? 'TabSeparated';
}

const KILL_BY_ID =
  /^\s*KILL\s+QUERY\b(?:\s+ON\s+CLUSTER\s+\S+)?\s+WHERE\s+query_id\s*=\s*(?:'((?:[^'\\]|\\.)*)'|\{(\w+):String\})(?:\s+(?:SYNC|ASYNC|TEST))?\s*;?\s*$/i;

/** The query id a `KILL QUERY WHERE query_id = …` names. */
export function killedQueryId(sql: string, params: Record<string, string>): string | undefined {
  const m = KILL_BY_ID.exec(sql);
  if (!m) {
    return undefined;
  }
  return m[1] !== undefined ? unescapeEscaped(m[1]) : unescapeEscaped(params[m[2]] ?? '');
}

/**
 * A parameter's value for chDB's binder. The server parses the URL value with the declared type's
 * "escaped" text format; chDB takes a JS value and TSV-escapes strings itself. So: a String
 * parameter is unescaped; any other type is passed as its text, with `\'` inside quoted strings
 * spelt `''` (the same value, and a spelling TSV-escaping cannot produce) and the rest unescaped,
 * which chDB's escaping turns back into the bytes the client sent.
 */
export function paramValue(raw: string, type: string | undefined): unknown {
  if (raw === '\\N') {
    return null;
  }
  if (type && /^(LowCardinality\()?(Nullable\()?(String|FixedString\(\d+\))\)?\)?$/.test(type.replace(/\s+/g, ''))) {
    return unescapeEscaped(raw);
  }
  if (type && /^Identifier$/i.test(type.trim())) {
    return raw;
  }
  return unescapeEscaped(raw.replace(/\\(.)/gs, (pair, ch: string) => (ch === "'" ? "''" : pair)));
}

/** Declared types of a statement's `{name:Type}` placeholders. */
export function placeholderTypes(sql: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of sql.matchAll(/\{(\w+):([^{}]+)\}/g)) {
    types.set(m[1], m[2].trim());
  }
  return types;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '0': '\0', a: '\x07', v: '\v' };

/** ClickHouse's "escaped" (TSV) text: a backslash escapes the next character. */
export function unescapeEscaped(text: string): string {
  return text.replace(/\\(.)/gs, (_pair, ch: string) => ESCAPES[ch] ?? ch);
}

export function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`test server: not a setting name: ${name}`);
  }
  return name;
}
