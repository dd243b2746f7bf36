import type { Backfill, BackfillEstimate, BackfillRequest, FieldErrorsBody, PriorityRequest, PulledForward } from '../../shared/backfill';
import { sidecarHttpClient, SidecarRequestError, type SidecarHttpClient } from '../client/http';
import { parseOptions, UsageError } from './args';
import { backfillLine, duration } from './progress';
import { when } from './search';

export const BACKFILL_USAGE = `usage: lookback backfill start --source ID (--from 7d [--to now] | --prefix P...) [options] [--wait]
       lookback backfill estimate --source ID (--from 7d [--to now] | --prefix P...) [options]
       lookback backfill status [ID] [--watch] [--json]
       lookback backfill cancel ID
       lookback backfill prioritize ID --from T --to T [--note TEXT]

  --source ID           the source to backfill (its log type, queues and bucket)
  --from, --to          event-time range: an ISO 8601 time, "now", or a span back from now (7d)
  --prefix P            list only under this prefix (repeatable)
  --bucket, --region    another bucket than the source's
  --role-arn, --external-id
                        assume this role (STS) to read a bucket in another account
  --order newest|oldest which objects go first (default newest)
  --margin-minutes N    also take objects stamped up to N minutes after --to (default: the layout's delivery lag)
  --note TEXT           with prioritize: why these hours (shown on the Backfills page)
  --wait                after start, show progress until the backfill ends
  --watch               with status ID, show progress until the backfill ends
  --url                 the sidecar (default: $LOOKBACK_URL, else http://127.0.0.1:8089)
  --token               its API token (default: $LOOKBACK_API_TOKEN)

  start --wait and status --watch exit 0 when the backfill is done, 1 when it failed or was cancelled.
  prioritize loads the hours [--from, --to) of a running backfill before the rest of it (a day at most).
`;

const DEFAULT_URL = 'http://127.0.0.1:8089';
const TERMINAL = ['done', 'cancelled', 'failed'];

export interface BackfillIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** True when stdout is a terminal: the progress line is redrawn in place. */
  tty: boolean;
  sleep: (ms: number) => Promise<void>;
  client: (url: string, token: string | undefined) => SidecarHttpClient;
  pollMs: number;
}

const processIo: BackfillIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  now: Date.now,
  tty: Boolean(process.stdout.isTTY),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  client: sidecarHttpClient,
  pollMs: 1000,
};

const OPTIONS = {
  source: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  prefix: { type: 'string', multiple: true },
  bucket: { type: 'string' },
  region: { type: 'string' },
  'role-arn': { type: 'string' },
  'external-id': { type: 'string' },
  order: { type: 'string' },
  'margin-minutes': { type: 'string' },
  note: { type: 'string' },
  wait: { type: 'boolean' },
  watch: { type: 'boolean' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>['values'];

/** `lookback backfill start|estimate|status|cancel|prioritize` against a running sidecar. */
export async function runBackfill(args: string[], io: BackfillIo = processIo): Promise<void> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    io.stdout(BACKFILL_USAGE);
    return;
  }
  const url = (values.url ?? io.env.LOOKBACK_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  const token = values.token ?? io.env.LOOKBACK_API_TOKEN;
  if (!token) {
    throw new UsageError('no API token: pass --token or set LOOKBACK_API_TOKEN (the sidecar prints it on first start)');
  }
  const client = io.client(url, token);
  try {
    switch (action) {
      case 'start':
        return await start(client, request(values, io.now()), Boolean(values.wait), io);
      case 'estimate':
        return printEstimate(await client.post<BackfillEstimate>('/api/backfills/estimate', request(values, io.now())), io);
      case 'status':
        return await status(client, rest[0], values, io);
      case 'cancel':
        if (!rest[0]) {
          throw new UsageError(`give the backfill ID to cancel\n\n${BACKFILL_USAGE}`);
        }
        return printBackfill(await client.post<Backfill>(`/api/backfills/${encodeURIComponent(rest[0])}/cancel`, {}), io);
      case 'prioritize':
        return await prioritize(client, rest[0], values, io);
      default:
        throw new UsageError(`unknown backfill action "${action}": start, estimate, status, cancel or prioritize\n\n${BACKFILL_USAGE}`);
    }
  } catch (err) {
    if (err instanceof SidecarRequestError) {
      io.stderr(`lookback backfill ${action}: ${describeRequestError(err)}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}

function describeRequestError(err: SidecarRequestError): string {
  const body = err.body as Partial<FieldErrorsBody> | undefined;
  if (body?.fields?.length) {
    return `the sidecar refused the request:\n${body.fields.map((f) => `  ${f.field}: ${f.message}`).join('\n')}`;
  }
  return err.message;
}

function request(values: Values, now: number): BackfillRequest {
  if (!values.source) {
    throw new UsageError(`--source is required\n\n${BACKFILL_USAGE}`);
  }
  if (values.to && !values.from) {
    throw new UsageError('--to needs --from');
  }
  if (!values.from && !values.prefix?.length) {
    throw new UsageError('give --from (and --to) or --prefix: a backfill never lists a whole bucket unasked');
  }
  if (values.order && values.order !== 'newest' && values.order !== 'oldest') {
    throw new UsageError(`--order must be newest or oldest, got "${values.order}"`);
  }
  const margin = values['margin-minutes'] === undefined ? undefined : Number(values['margin-minutes']);
  if (margin !== undefined && (!Number.isInteger(margin) || margin < 0)) {
    throw new UsageError(`--margin-minutes must be a whole number of minutes, got "${values['margin-minutes']}"`);
  }
  const iso = (text: string, option: string) => new Date(when(text, option, now)).toISOString();
  return {
    sourceId: values.source,
    ...(values.from ? { from: iso(values.from, '--from'), to: iso(values.to ?? 'now', '--to') } : {}),
    ...(values.prefix?.length ? { prefixes: values.prefix } : {}),
    ...(values.bucket ? { bucket: values.bucket } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(values['role-arn'] ? { roleArn: values['role-arn'] } : {}),
    ...(values['external-id'] ? { externalId: values['external-id'] } : {}),
    ...(values.order ? { order: values.order as BackfillRequest['order'] } : {}),
    ...(margin !== undefined ? { marginMinutes: margin } : {}),
  };
}

async function prioritize(client: SidecarHttpClient, id: string | undefined, values: Values, io: BackfillIo): Promise<void> {
  if (!id) {
    throw new UsageError(`give the backfill ID whose hours to load first\n\n${BACKFILL_USAGE}`);
  }
  if (!values.from || !values.to) {
    throw new UsageError('prioritize needs --from and --to: the hours to load first');
  }
  const iso = (text: string, option: string) => new Date(when(text, option, io.now())).toISOString();
  const body: PriorityRequest = { from: iso(values.from, '--from'), to: iso(values.to, '--to'), ...(values.note ? { note: values.note } : {}) };
  const asked = await client.post<PulledForward>(`/api/backfills/${encodeURIComponent(id)}/priority`, body);
  io.stdout(`backfill ${id}: ${asked.from} to ${asked.to} ${asked.state === 'queued' ? 'will load first' : `is ${asked.state} (asked before)`}\n`);
}

async function start(client: SidecarHttpClient, body: BackfillRequest, wait: boolean, io: BackfillIo): Promise<void> {
  const backfill = await client.post<Backfill>('/api/backfills', body);
  io.stdout(`backfill ${backfill.id} started: ${backfill.listing?.units ?? '?'} prefixes of s3://${backfill.bucket} to list for source ${backfill.sourceId}\n`);
  if (wait) {
    await follow(client, backfill.id, io);
  }
}

async function status(client: SidecarHttpClient, id: string | undefined, values: Values, io: BackfillIo): Promise<void> {
  if (!id) {
    if (values.watch) {
      throw new UsageError('--watch needs a backfill ID');
    }
    const { backfills } = await client.get<{ backfills: Backfill[] }>('/api/backfills');
    if (values.json) {
      io.stdout(`${JSON.stringify(backfills, null, 2)}\n`);
      return;
    }
    io.stdout(backfills.length ? table(backfills) : 'no backfills\n');
    return;
  }
  const path = `/api/backfills/${encodeURIComponent(id)}`;
  if (values.watch) {
    await follow(client, id, io);
    return;
  }
  const backfill = await client.get<Backfill>(path);
  if (values.json) {
    io.stdout(`${JSON.stringify(backfill, null, 2)}\n`);
    return;
  }
  printBackfill(backfill, io);
}

/** Redraws the progress line until the backfill ends; exit code 0 when it is done. */
async function follow(client: SidecarHttpClient, id: string, io: BackfillIo): Promise<void> {
  let shown = '';
  for (;;) {
    const backfill = await client.get<Backfill>(`/api/backfills/${encodeURIComponent(id)}`);
    const line = `${backfill.state.padEnd(9)} ${backfillLine([backfill])}`;
    if (line !== shown) {
      io.stdout(io.tty ? `\r\x1b[2K${line}` : `${line}\n`);
      shown = line;
    }
    if (TERMINAL.includes(backfill.state)) {
      if (io.tty) {
        io.stdout('\n');
      }
      printBackfill(backfill, io);
      if (backfill.state !== 'done') {
        process.exitCode = 1;
      }
      return;
    }
    await io.sleep(io.pollMs);
  }
}

const count = (n: number) => n.toLocaleString('en-US');

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

export function printBackfill(b: Backfill, io: Pick<BackfillIo, 'stdout'>): void {
  const c = b.counters;
  const lines = [
    `backfill ${b.id}: ${b.state}${b.error ? ` (${b.error})` : ''}`,
    `  source ${b.sourceId}, s3://${b.bucket} (${b.region})${b.prefixes.length ? `, prefixes ${b.prefixes.join(', ')}` : ''}`,
    `  range ${b.from ?? '-'} to ${b.to ?? '-'}, ${b.order} first`,
    `  objects: ${count(c.listed)} listed, ${count(c.enqueued)} enqueued, ${count(c.processed)} ingested, ${count(c.failed)} failed, ${count(c.skipped)} skipped${c.alreadyIngested ? ` (${count(c.alreadyIngested)} already ingested)` : ''}, ${count(c.cancelled)} cancelled`,
    `  ${bytes(c.bytesProcessed)} of ${bytes(c.bytesListed)} read, ${count(c.events)} events (${count(b.eventsPerSecond)}/s), ${count(c.malformed)} malformed records`,
    `  loaded ${b.coverage.from ?? '-'} to ${b.coverage.to ?? '-'}${b.firstEventAfterMs !== null ? `, first event searchable ${(b.firstEventAfterMs / 1000).toFixed(1)} s after start` : ''}`,
    ...(b.pulledForward ?? [])
      .slice(0, 5)
      .map(
        (p) =>
          `  loaded first: ${p.from} to ${p.to} (${p.reason === 'query' ? `query "${p.detail}"` : `asked${p.detail ? `: ${p.detail}` : ''}`}) ${p.state}, ${count(p.objectsDone)}/${count(p.objects)} objects${p.note ? `; ${p.note}` : ''}`
      ),
  ];
  io.stdout(`${lines.join('\n')}\n`);
}

function printEstimate(e: BackfillEstimate, io: BackfillIo): void {
  const shown = e.prefixes.slice(0, 10).map((p) => `  ${p}`);
  const more = e.prefixes.length > shown.length ? [`  … and ${e.prefixes.length - shown.length} more`] : [];
  io.stdout(
    [
      `${count(e.objects)} objects, ${bytes(e.bytes)} to read from ${e.prefixes.length} prefixes`,
      `expected duration: ${e.expectedSeconds === null ? 'unknown (nothing ingested yet to measure the throughput)' : duration(e.expectedSeconds)}`,
      ...shown,
      ...more,
    ].join('\n') + '\n'
  );
}

function table(backfills: Backfill[]): string {
  const rows = [
    ['ID', 'SOURCE', 'STATE', 'OBJECTS', 'EVENTS', 'RANGE'],
    ...backfills.map((b) => {
      const c = b.counters;
      const done = c.processed + c.failed + c.skipped + c.cancelled;
      return [
        b.id,
        b.sourceId,
        b.state,
        `${count(done)}/${count(c.listed)}`,
        count(c.events),
        `${b.from?.slice(0, 16) ?? '-'} to ${b.to?.slice(0, 16) ?? '-'}`,
      ];
    }),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}
