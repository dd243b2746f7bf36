// Query-driven backfill priority: how soon an hour in the middle of a 30-day backfill is
// searchable once a query asks for it, against the whole backfill, with and without priority.
//   npm run build:sidecar && npm run build:bench
//   node dist-bench/bench/priority.js [--days 30] [--events 200000] [--file-minutes 30] [--query-after 3] [--rounds 2]
//
// The generator's month of CloudTrail, ALB and VPC flow logs (one account, one region) goes into
// the emulator's S3 (a child process). Then twice, each time with a fresh sidecar (`lookback
// serve`, a child process, default ingest settings) and store on the same bucket:
//   without: a backfill of the whole range, newest first; the middle hour is watched through
//            GET /api/coverage (which asks nothing of priority) until objects covering it are
//            ingested;
//   with:    the same, and --query-after seconds after the start a search over that hour
//            (POST /api/query), which pulls it forward.
// Each round runs both, in turn first (a shared machine's load drifts). It prints, for every run,
// the seconds from the start until the hour is searchable and until the backfill is done, the
// hour's time as a share of the whole backfill and after the query, and the ratio of the total
// times with and without priority over all rounds (priority must not slow the whole).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { Backfill, CoverageResponse } from '../src/shared/backfill';
import type { QueryResponse } from '../src/shared/query';
import { createDevSource } from '../src/sidecar/emulator/devResources';
import { spawnEmulator } from '../src/sidecar/emulator/emulatorProcess';
import { createBucket } from '../src/sidecar/generate/bucket';
import { uploadObjects } from '../src/sidecar/generate/upload';
import { stop, waitForLine } from './processes';
import { numberOption } from './args';

const DAYS = numberOption('days', 30);
const EVENTS = numberOption('events', 200_000);
const FILE_MINUTES = numberOption('file-minutes', 30);
const QUERY_AFTER_S = numberOption('query-after', 3);
const ROUNDS = numberOption('rounds', 2);

const CLI = resolve(__dirname, '../../bin/lookback.js');
const TOKEN = 'bench-priority-token-0123456789';
const BUCKET = 'bench-priority-logs';
const REGION = 'us-east-1';
const HOUR = 3_600_000;
const END = Date.UTC(2026, 10, 1);
const START = END - DAYS * 24 * HOUR;
/** Noon of the middle day: the backfill, newest first, reaches it about half-way. */
const MIDDLE = START + Math.floor(DAYS / 2) * 24 * HOUR + 12 * HOUR;

interface Run {
  hourSeconds: number;
  afterQuerySeconds: number | null;
  totalSeconds: number;
  objects: number;
  loadedFirst: string;
}

async function run(endpoint: string, dir: string, name: string, withQuery: boolean): Promise<Run> {
  const dev = await createDevSource({ endpoint, id: name, bucket: BUCKET, region: REGION, logType: 'auto' });
  const config = join(dir, `${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      apiToken: TOKEN,
      dataDir: join(dir, name),
      aws: { endpoint, region: REGION },
      ingest: { waitTimeSeconds: 1 },
      detect: { enabled: false },
      sources: [dev.source],
    })
  );
  const sidecar = spawn(process.execPath, [CLI, 'serve', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOOKBACK_LOG_LEVEL: 'info' },
  });
  const url = await waitForLine(sidecar, 'stderr', /"url":"(http:\/\/[^"]+)"/);
  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as T;
  };
  const hour = { from: new Date(MIDDLE).toISOString(), to: new Date(MIDDLE + HOUR).toISOString() };
  try {
    const started = Date.now();
    const backfill = await api<Backfill & { message?: string }>('/api/backfills', {
      sourceId: name,
      from: new Date(START).toISOString(),
      to: new Date(END).toISOString(),
    });
    if (!backfill.id) {
      throw new Error(`backfill not started: ${backfill.message}`);
    }
    let queriedAt: number | null = null;
    let hourAt: number | null = null;
    let last: Backfill;
    for (;;) {
      if (withQuery && queriedAt === null && Date.now() - started >= QUERY_AFTER_S * 1000) {
        queriedAt = Date.now();
        const answer = await api<QueryResponse>('/api/query', { query: 'events | count', ...hour });
        console.log(`  ${name}: the query's notice: ${answer.coverage?.message ?? '(none: the hour was loaded)'}`);
      }
      if (hourAt === null) {
        const coverage = await api<CoverageResponse>(`/api/coverage?source=${name}&from=${hour.from}&to=${hour.to}`);
        if (coverage.hours[0]?.objects > 0) {
          hourAt = Date.now();
        }
      }
      last = await api<Backfill>(`/api/backfills/${backfill.id}`);
      if (['done', 'failed', 'cancelled'].includes(last.state) && hourAt !== null) {
        break;
      }
      process.stdout.write(`\r  ${name}: ${last.counters.processed}/${last.counters.listed} objects`);
      await new Promise((r) => setTimeout(r, 200));
    }
    process.stdout.write('\r\x1b[2K');
    if (last.state !== 'done') {
      throw new Error(`backfill ${last.state}: ${last.error}`);
    }
    const pulled = last.pulledForward?.[0];
    return {
      hourSeconds: (hourAt - started) / 1000,
      afterQuerySeconds: queriedAt === null ? null : Math.max(0, hourAt - queriedAt) / 1000,
      totalSeconds: (Date.parse(last.finishedAt!) - started) / 1000,
      objects: last.counters.processed,
      loadedFirst: pulled
        ? `${pulled.objectsDone}/${pulled.objects} objects of ${pulled.from}..${pulled.to} ${pulled.state}${pulled.note ? ` (${pulled.note})` : ''}`
        : 'nothing',
    };
  } finally {
    await stop(sidecar);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-priority-'));
  const emulator = await spawnEmulator(0);
  try {
    const { endpoint } = emulator;
    const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await createDevSource({ endpoint, id: 'bucket', bucket: BUCKET, region: REGION });
    const bucket = createBucket({
      seed: 'bench-priority',
      end: END,
      days: DAYS,
      accounts: 1,
      regions: [REGION],
      targetEvents: EVENTS,
      fileMinutes: { cloudtrail: FILE_MINUTES, alb: FILE_MINUTES, vpcflow: FILE_MINUTES },
    });
    await uploadObjects(s3, BUCKET, bucket.objects(), { concurrency: 16 });
    const summary = bucket.summary();
    console.log(
      `${summary.objects} objects, ${summary.events} events over ${DAYS} days (${FILE_MINUTES}-minute files); the hour asked for: ${new Date(MIDDLE).toISOString()}; ${availableParallelism()} cores`
    );
    const line = (name: string, r: Run) =>
      `${name.padEnd(9)} hour searchable after ${r.hourSeconds.toFixed(1).padStart(6)} s` +
      `${r.afterQuerySeconds === null ? '                         ' : ` (${r.afterQuerySeconds.toFixed(1).padStart(5)} s after the query)`}` +
      `  backfill done after ${r.totalSeconds.toFixed(1).padStart(6)} s  hour / backfill ${((r.hourSeconds / r.totalSeconds) * 100).toFixed(0).padStart(3)} %  loaded first: ${r.loadedFirst}`;
    const totals = { without: 0, with: 0 };
    const lines: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? (['without', 'with'] as const) : (['with', 'without'] as const);
      for (const kind of order) {
        const r = await run(endpoint, dir, `${kind}-${round}`, kind === 'with');
        totals[kind] += r.totalSeconds;
        lines.push(line(`${kind} ${round}`, r));
        console.log(lines[lines.length - 1]);
      }
    }
    console.log(`\n${lines.join('\n')}`);
    console.log(`ratio of the whole backfill's time, with / without priority, over ${ROUNDS} rounds: ${(totals.with / totals.without).toFixed(2)} (goal <= 1)`);
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
