import { S3Client } from '@aws-sdk/client-s3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Source } from '../../shared/api';
import type { Backfill, CoverageResponse } from '../../shared/backfill';
import type { QueryResponse } from '../../shared/query';
import { SidecarRequestError, sidecarHttpClient, type SidecarHttpClient } from '../client/http';
import { loadConfig } from '../config/load';
import { huntIncident, reportLines } from '../demo/detections';
import { INVESTIGATION, type Findings } from '../demo/investigation';
import { createDevSource } from '../emulator/devResources';
import { spawnEmulator } from '../emulator/emulatorProcess';
import { createBucket } from '../generate/bucket';
import type { GeneratedLogType, IncidentFacts } from '../generate/types';
import { uploadObjects } from '../generate/upload';
import { createLogger } from '../log';
import { startSidecar } from '../sidecar';
import { parseOptions, portOption, untilSignal, UsageError } from './args';
import { backfillLine, bar } from './progress';
import { render } from './search';

const BUCKET = 'lookback-demo-logs';
const REGION = 'us-east-1';
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TYPES: GeneratedLogType[] = ['cloudtrail', 'alb', 'vpcflow'];

interface Screen {
  /** A line that stays. */
  say(line?: string): void;
  /** The one progress line, redrawn in place on a terminal. */
  progress(line: string): void;
}

function screen(): Screen {
  const tty = process.stdout.isTTY;
  let shown = '';
  let lastPrinted = 0;
  return {
    say(line = '') {
      process.stdout.write(tty && shown ? `\r\x1b[2K${line}\n${shown}` : `${line}\n`);
    },
    progress(line) {
      if (tty) {
        shown = line;
        process.stdout.write(`\r\x1b[2K${line}`);
      } else if (Date.now() - lastPrinted > 5000) {
        lastPrinted = Date.now();
        process.stdout.write(`${line}\n`);
      }
    },
  };
}

function numberOption(value: string | undefined, fallback: number, name: string): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${name} must be a positive number, got "${value}"`);
  }
  return n;
}

/**
 * The main job on embedded defaults: a bucket of realistic AWS logs with an incident hidden in
 * it, the sidecar with chDB, a backfill of every day of it, and the investigation printed as
 * soon as the data it needs is searchable. Then it keeps serving.
 */
export async function runDemo(args: string[]): Promise<void> {
  const { values } = parseOptions(args, {
    port: { type: 'string' },
    'emulator-port': { type: 'string' },
    'data-dir': { type: 'string' },
    days: { type: 'string' },
    events: { type: 'string' },
    seed: { type: 'string' },
    exit: { type: 'boolean' },
  });
  const days = numberOption(values.days, 30, '--days');
  const events = numberOption(values.events, 1_000_000, '--events');
  const out = screen();
  const started = Date.now();

  out.say(`Lookback demo: an incident hidden in ${days} days of AWS logs (${events.toLocaleString('en-US')} events)`);
  // A process of its own, as S3 and SQS are: the bucket it holds in memory is not the sidecar's.
  const emulator = await spawnEmulator(portOption(values['emulator-port'], 4566, '--emulator-port'));
  out.say(`  emulator (S3 + SNS + SQS) on ${emulator.endpoint}, process ${emulator.pid}`);
  const sources: Source[] = [];
  for (const type of TYPES) {
    sources.push((await createDevSource({ endpoint: emulator.endpoint, id: type, bucket: BUCKET, region: REGION, logType: type })).source);
  }

  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const bucket = createBucket({
    seed: values.seed ?? 'lookback-demo',
    end,
    days,
    targetEvents: events,
    fileMinutes: { cloudtrail: 60, alb: 60, vpcflow: 60 },
    // Recent enough to be among the first hours a newest-first backfill loads.
    incidentAt: end - Math.min(2 * DAY + 5 * HOUR, Math.floor((days * DAY) / 2 / HOUR) * HOUR),
  });
  const incident = bucket.incident!;
  const summary = bucket.summary();
  const s3 = new S3Client({
    endpoint: emulator.endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'lookback', secretAccessKey: 'lookback' },
  });
  let uploaded = 0;
  await uploadObjects(s3, BUCKET, bucket.objects(), {
    concurrency: 16,
    onUploaded: () => {
      uploaded++;
      if (uploaded % 200 === 0) {
        out.progress(`  ${bar(uploaded / summary.objects)}  writing s3://${BUCKET}: ${uploaded.toLocaleString('en-US')} objects`);
      }
    },
  });
  out.say(
    `  wrote ${summary.objects.toLocaleString('en-US')} objects (${summary.events.toLocaleString('en-US')} events) into s3://${BUCKET}, as AWS lays them out`
  );

  const dataDir = values['data-dir'] ?? join('.lookback', 'demo');
  rmSync(join(dataDir, 'chdb'), { recursive: true, force: true });
  const config = loadConfig(undefined, {
    ...process.env,
    LOOKBACK_DATA_DIR: dataDir,
    LOOKBACK_LISTEN_PORT: String(portOption(values.port, 8089)),
    LOOKBACK_AWS_ENDPOINT: emulator.endpoint,
    LOOKBACK_AWS_REGION: REGION,
    LOOKBACK_SOURCES: JSON.stringify(sources),
  });
  const sidecar = await startSidecar(config, createLogger(process.env.LOOKBACK_LOG_LEVEL ?? 'warn'));
  out.say(`  sidecar with embedded ClickHouse (chDB) in ${dataDir}, API on ${sidecar.url}`);
  const client = sidecarHttpClient(sidecar.url, sidecar.token);

  const from = new Date(end - days * DAY).toISOString();
  const to = new Date(end).toISOString();
  const backfillStart = Date.now();
  const ids: string[] = [];
  for (const source of sources) {
    ids.push((await client.post<Backfill>('/api/backfills', { sourceId: source.id, from, to, order: 'newest' })).id);
  }
  out.say(`  backfilling ${from.slice(0, 10)} to ${to.slice(0, 10)} for ${sources.map((s) => s.id).join(', ')}, newest first`);

  const progress = setInterval(() => {
    Promise.all(ids.map((id) => client.get<Backfill>(`/api/backfills/${id}`)))
      .then((backfills) => out.progress(`  ${backfillLine(backfills)}`))
      .catch(() => undefined);
  }, 500);
  try {
    const firstEvent = await waitFor(async () => {
      const answer = await client.post<QueryResponse>('/api/query', { query: 'events | count', from, to });
      return Number(answer.rows[0]?.[0] ?? 0) > 0 ? true : undefined;
    });
    out.say(`  first events searchable ${((firstEvent - backfillStart) / 1000).toFixed(1)} s after the backfill started`);
    await investigate(client, out, incident, backfillStart);
    const backfills = await waitForBackfills(client, ids);
    out.say(`  ${backfillLine(backfills)}`);
    out.say(
      `  backfill ${backfills.every((b) => b.state === 'done') ? 'done' : backfills.map((b) => `${b.sourceId}: ${b.state}`).join(', ')} in ${((Date.now() - backfillStart) / 1000).toFixed(0)} s (${((Date.now() - started) / 1000).toFixed(0)} s since start)`
    );
  } finally {
    clearInterval(progress);
  }

  out.say();
  out.say('What the rule pack found (a retro-hunt of every enabled rule over the days loaded; the scheduled runs check the same events as they land):');
  const hunted = Date.now();
  const report = await huntIncident(client, incident, { from, to });
  reportLines(report).forEach((line) => out.say(line));
  out.say(
    `  hunted in ${((Date.now() - hunted) / 1000).toFixed(0)} s; list them: node bin/lookback.js detections --from ${days}d --url ${sidecar.url} --token ${sidecar.token}`
  );

  out.say();
  out.say('Search it yourself:');
  out.say(
    `  node bin/lookback.js search 'CloudTrail | summarize count() by eventName | top 10 by count_' --from ${days}d --url ${sidecar.url} --token ${sidecar.token}`
  );
  out.say("Connect Grafana: mount dist/ as the plugin lookback-siem-app, set the sidecar URL and token on the app's");
  out.say(`Configuration page (URL ${sidecar.url}, token above), or use docker-compose.yml; see the README.`);
  if (values.exit) {
    await sidecar.stop();
    await emulator.stop();
    return;
  }
  out.say('Serving; Ctrl-C stops.');
  await untilSignal();
  await sidecar.stop();
  await emulator.stop();
}

/**
 * Each step of the investigation, asked as an investigator would: over the hours around the
 * alert, at once. The first run of a query pulls the hours it needs that the backfill has not
 * loaded yet to the front of it; once they are loaded for the step's log type, the query runs
 * again and its answer is printed, with the time since the backfill started.
 */
async function investigate(client: SidecarHttpClient, out: Screen, incident: IncidentFacts, backfillStart: number): Promise<void> {
  const window = {
    from: new Date(Date.parse(incident.timeline[0].from) - HOUR).toISOString().slice(0, 13) + ':00:00Z',
    to: new Date(Date.parse(incident.timeline[incident.timeline.length - 1].to) + 2 * HOUR).toISOString().slice(0, 13) + ':00:00Z',
  };
  out.say();
  out.say(`The investigation, over the hours around the alert (${window.from} to ${window.to}), all in the pipeline language.`);
  out.say('A query over hours the backfill has not loaded yet has them loaded first; its answer is printed once they are:');
  const findings: Findings = {};
  for (const [i, step] of INVESTIGATION.entries()) {
    const request = step.query(findings);
    out.say();
    out.say(`${i + 1}. ${step.title}: ${step.question}`);
    if (!request) {
      out.say('   (the earlier answers found nothing to follow up)');
      continue;
    }
    out.say(request.query.replace(/^/gm, '     '));
    for (const [name, value] of Object.entries(request.variables ?? {})) {
      out.say(`     with $${name} = ${JSON.stringify(value)}`);
    }
    const ask = () => client.post<QueryResponse>('/api/query', { ...request, ...window, maxRows: 20 });
    const loaded = async () => {
      const coverage = await client.get<CoverageResponse>(`/api/coverage?source=${step.logType}&from=${window.from}&to=${window.to}`);
      return coverage.hours.every((h) => h.state === 'full') ? true : undefined;
    };
    // Before any log of the step's type is loaded, a query naming their fields is refused (400, unknown field); it still pulled its hours forward.
    const first = await ask().catch((err: unknown) => {
      if (err instanceof SidecarRequestError && err.status === 400) {
        return undefined;
      }
      throw err;
    });
    let answer = first && (await loaded()) ? first : undefined;
    const waited = !answer;
    if (!answer) {
      await waitFor(loaded);
      answer = await ask();
    }
    step.learn?.(answer, findings);
    out.say(render(answer, 'table').trimEnd().replace(/^/gm, '   '));
    out.say(`   answered ${((Date.now() - backfillStart) / 1000).toFixed(1)} s after the backfill started${waited ? ', once its hours were loaded' : ''}`);
  }
}

async function waitFor(check: () => Promise<true | undefined>, pollMs = 250): Promise<number> {
  for (;;) {
    if (await check().catch(() => undefined)) {
      return Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function waitForBackfills(client: SidecarHttpClient, ids: string[]): Promise<Backfill[]> {
  for (;;) {
    const backfills = await Promise.all(ids.map((id) => client.get<Backfill>(`/api/backfills/${id}`)));
    if (backfills.every((b) => ['done', 'cancelled', 'failed'].includes(b.state))) {
      return backfills;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
