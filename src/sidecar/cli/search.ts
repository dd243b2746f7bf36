import type { QueryErrorBody, QueryRequest, QueryResponse } from '../../shared/query';
import { parseTime } from '../query/time';
import { parseTimespan } from '../query/timespan';
import { parseOptions, UsageError } from './args';

export const SEARCH_USAGE = `usage: lookback search '<query>' --from 7d [--to now] [--format table|json|csv]
                       [--max-rows 1000] [--interval 1h] [--url URL] [--token TOKEN]

  --from, --to   an ISO 8601 time, "now", or a span back from now (15m, 24h, 7d, now-7d)
  --url          the sidecar (default: $LOOKBACK_URL, else http://127.0.0.1:8089)
  --token        its API token (default: $LOOKBACK_API_TOKEN)
`;

const DEFAULT_URL = 'http://127.0.0.1:8089';
const MAX_CELL = 80;

export interface SearchIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => number;
}

const processIo: SearchIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  now: Date.now,
};

/** `lookback search`: runs a query on a running sidecar over HTTP and prints the rows. */
export async function runSearch(args: string[], io: SearchIo = processIo): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    'max-rows': { type: 'string' },
    interval: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(SEARCH_USAGE);
    return;
  }
  if (positionals.length !== 1 || positionals[0].trim() === '') {
    throw new UsageError(`give the query as one argument, in quotes\n\n${SEARCH_USAGE}`);
  }
  if (!values.from) {
    throw new UsageError(`--from is required (e.g. --from 7d)\n\n${SEARCH_USAGE}`);
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json' && format !== 'csv') {
    throw new UsageError(`--format must be table, json or csv, got "${format}"`);
  }
  const maxRows = values['max-rows'] === undefined ? undefined : Number(values['max-rows']);
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1)) {
    throw new UsageError(`--max-rows must be a whole number above 0, got "${values['max-rows']}"`);
  }
  const now = io.now();
  const request: QueryRequest = {
    query: positionals[0],
    from: new Date(when(values.from, '--from', now)).toISOString(),
    to: new Date(when(values.to ?? 'now', '--to', now)).toISOString(),
    ...(maxRows ? { maxRows } : {}),
    ...(values.interval ? { interval: values.interval } : {}),
  };
  const url = (values.url ?? io.env.LOOKBACK_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  const token = values.token ?? io.env.LOOKBACK_API_TOKEN;
  if (!token) {
    throw new UsageError('no API token: pass --token or set LOOKBACK_API_TOKEN (the sidecar prints it on first start)');
  }

  let response: Response;
  try {
    response = await fetch(`${url}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    });
  } catch (err) {
    io.stderr(`lookback search: cannot reach the sidecar at ${url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const body = (await response.json().catch(() => ({ message: `HTTP ${response.status}` }))) as QueryResponse | QueryErrorBody;
  if (!response.ok) {
    io.stderr(describeError(request.query, body as QueryErrorBody));
    process.exitCode = 1;
    return;
  }
  const result = body as QueryResponse;
  io.stdout(render(result, format));
  const { stats } = result;
  io.stderr(
    `${stats.rowsReturned} row${stats.rowsReturned === 1 ? '' : 's'}${stats.truncated ? ' (cut at --max-rows)' : ''} in ${stats.elapsedMs} ms, ${stats.rowsRead} rows read\n`
  );
  if (result.coverage) {
    io.stderr(`note: ${result.coverage.message}\n`);
  }
}

/** `now`, an ISO time, or a span back from now (`7d`, `now-7d`) → ms since the epoch. */
export function when(text: string, option: string, now: number): number {
  const value = text.trim();
  if (value === 'now') {
    return now;
  }
  const span = parseTimespan(value.replace(/^now\s*-\s*/, ''));
  if (span !== undefined) {
    return now - span;
  }
  const time = parseTime(value);
  if (time === undefined) {
    throw new UsageError(`${option} must be "now", a span such as 7d, or an ISO 8601 time, got "${text}"`);
  }
  return time;
}

/** The error, and for a query error the query line with a caret under the spot. */
export function describeError(query: string, body: QueryErrorBody): string {
  let out = `lookback search: ${body.message}\n`;
  if (body.position) {
    const line = query.split('\n')[body.position.line - 1] ?? '';
    const width = Math.max(1, Math.min(body.position.length, line.length - body.position.column + 1));
    out += `  ${line}\n  ${' '.repeat(body.position.column - 1)}${'^'.repeat(width)}\n`;
  }
  return out;
}

export function render(result: QueryResponse, format: 'table' | 'json' | 'csv'): string {
  const names = result.columns.map((c) => c.name);
  if (format === 'json') {
    const rows = result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  if (format === 'csv') {
    return [names, ...result.rows.map((row) => row.map(cellText))].map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
  }
  const cells = [names, ...result.rows.map((row) => row.map((v) => clip(cellText(v).replace(/\s+/g, ' '))))];
  const widths = names.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const lines = cells.map((line) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return `${lines.join('\n')}\n`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function clip(text: string): string {
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
