import { DETECTION_STATUSES, SEVERITIES, type Detection, type DetectionList } from '../../shared/detections';
import { sidecarHttpClient, SidecarRequestError } from '../client/http';
import { parseTimespan } from '../query/timespan';
import { parseOptions, UsageError } from './args';
import { when } from './search';

export const DETECTIONS_USAGE = `usage: lookback detections [--status open] [--severity high] [--rule ID] [--from 7d] [--to now]
                          [--limit 50] [--json] [--watch [--interval 10s]] [--url URL] [--token TOKEN]

  the detections of a running sidecar, newest last event first
  --status     open, acknowledged or closed (repeat for several)
  --severity   the lowest severity shown: ${SEVERITIES.join(', ')}
  --rule       a rule id (repeat for several)
  --from, --to detections with events in this range: an ISO 8601 time, "now", or a span (24h, 7d)
  --watch      keep going: print each new detection, and each change of count or status, as it comes
  --url        the sidecar (default: $LOOKBACK_URL, else http://127.0.0.1:8089)
  --token      its API token (default: $LOOKBACK_API_TOKEN)
`;

const DEFAULT_URL = 'http://127.0.0.1:8089';

export interface DetectionsIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** Waits between polls of --watch; resolves false when it should stop (Ctrl-C). */
  wait: (ms: number) => Promise<boolean>;
}

const processIo: DetectionsIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  now: Date.now,
  wait: (ms) =>
    new Promise((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(true);
      }, ms);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }),
};

/** `lookback detections [--watch]`: what the rules found, on a running sidecar. */
export async function runDetections(args: string[], io: DetectionsIo = processIo): Promise<void> {
  const { values } = parseOptions(args, {
    status: { type: 'string', multiple: true },
    severity: { type: 'string' },
    rule: { type: 'string', multiple: true },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    watch: { type: 'boolean' },
    interval: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(DETECTIONS_USAGE);
    return;
  }
  const statuses = values.status ?? [];
  const bad = statuses.find((s) => !(DETECTION_STATUSES as readonly string[]).includes(s));
  if (bad) {
    throw new UsageError(`--status must be one of ${DETECTION_STATUSES.join(', ')}, got "${bad}"`);
  }
  if (values.severity && !(SEVERITIES as readonly string[]).includes(values.severity)) {
    throw new UsageError(`--severity must be one of ${SEVERITIES.join(', ')}, got "${values.severity}"`);
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError(`--limit must be a whole number from 1 to 1000, got "${values.limit}"`);
  }
  const interval = values.interval === undefined ? 10_000 : parseTimespan(values.interval);
  if (interval === undefined || interval < 1000) {
    throw new UsageError(`--interval must be a span of at least 1s, such as 10s, got "${values.interval}"`);
  }
  const token = values.token ?? io.env.LOOKBACK_API_TOKEN;
  if (!token) {
    throw new UsageError('no API token: pass --token or set LOOKBACK_API_TOKEN (the sidecar prints it on first start)');
  }
  const client = sidecarHttpClient((values.url ?? io.env.LOOKBACK_URL ?? DEFAULT_URL).replace(/\/+$/, ''), token);
  const path = () => {
    const query = new URLSearchParams({ limit: String(limit) });
    statuses.forEach((s) => query.append('status', s));
    (values.rule ?? []).forEach((r) => query.append('rule', r));
    if (values.severity) {
      SEVERITIES.slice(SEVERITIES.indexOf(values.severity as (typeof SEVERITIES)[number])).forEach((s) => query.append('severity', s));
    }
    if (values.from) {
      query.set('from', new Date(when(values.from, '--from', io.now())).toISOString());
    }
    if (values.to) {
      query.set('to', new Date(when(values.to, '--to', io.now())).toISOString());
    }
    return `/api/detections?${query}`;
  };
  const fetchList = async (): Promise<DetectionList | undefined> => {
    try {
      return await client.get<DetectionList>(path());
    } catch (err) {
      io.stderr(`lookback detections: ${err instanceof SidecarRequestError ? err.message : (err as Error).message}\n`);
      process.exitCode = 1;
      return undefined;
    }
  };

  const first = await fetchList();
  if (!first) {
    return;
  }
  if (values.json && !values.watch) {
    io.stdout(`${JSON.stringify(first, null, 2)}\n`);
    return;
  }
  if (values.json) {
    first.detections.forEach((d) => io.stdout(`${JSON.stringify({ change: 'listed', detection: d })}\n`));
  } else {
    io.stdout(table(first.detections));
    if (first.truncated) {
      io.stderr(`(the newest ${limit}; --limit shows more)\n`);
    }
  }
  if (!values.watch) {
    return;
  }
  const seen = new Map(first.detections.map((d) => [d.fingerprint, d]));
  while (await io.wait(interval)) {
    const next = await fetchList();
    if (!next) {
      process.exitCode = undefined;
      continue;
    }
    for (const d of [...next.detections].reverse()) {
      const before = seen.get(d.fingerprint);
      const change = !before ? 'new' : before.count !== d.count || before.lastSeen !== d.lastSeen ? 'counted' : before.status !== d.status ? 'status' : null;
      seen.set(d.fingerprint, d);
      if (change) {
        io.stdout(values.json ? `${JSON.stringify({ change, detection: d })}\n` : `${change.padEnd(8)}${line(d)}\n`);
      }
    }
  }
}

function keysText(d: Detection): string {
  return Object.entries(d.keys)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function line(d: Detection): string {
  return [d.lastSeen, d.severity.padEnd(13), d.status.padEnd(12), String(d.count).padStart(6), `${d.title}${keysText(d) ? `  ${keysText(d)}` : ''}`].join('  ');
}

function table(detections: Detection[]): string {
  if (detections.length === 0) {
    return 'no detections\n';
  }
  const head = ['LAST EVENT'.padEnd(24), 'SEVERITY'.padEnd(13), 'STATUS'.padEnd(12), 'COUNT'.padStart(6), 'DETECTION'].join('  ');
  return `${[head, ...detections.map(line)].join('\n')}\n`;
}
