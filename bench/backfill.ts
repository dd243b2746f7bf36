// Backfill throughput next to a direct load of the same files into chDB.
//   npx tsc -p bench/tsconfig.json
//   node dist-bench/bench/backfill.js [--objects 120] [--events-per-object 1000] [--concurrency 8] [--insert-rows N] [--profile DIR]
//
// Needs the built CLI (npm run build:sidecar): the emulator and the sidecar run as child processes,
// as in production. N CloudTrail objects (gzipped `{"Records":[...]}`, as CloudTrail delivers them)
// are put into the emulator's S3 and written to a temp directory. Then, one after the other on this
// machine:
//   backfill: POST /api/backfills for the range, timed from the request to the backfill's finish
//             (listing, fabricated notifications, SQS, GetObject, gunzip, parse, normalise, insert,
//             ledger, message delete: the whole path);
//   direct:   one INSERT ... SELECT FROM file('dir/*.json.gz', 'JSONAsString') into the same events
//             schema in a fresh chDB store, columns extracted with JSONExtract (fields: the top-level
//             keys only, where ingest flattens every nested path).
// It prints events/s and MB/s (gzipped and decoded) for both and the ratio backfill / direct, and
// for the backfill its inserts (from /metrics), the sidecar's CPU by thread (bench/threads.ts) and
// how busy the cores were.
// --insert-rows N sets the sidecar's ingest.insertBatchRows (the rows of an insert at most).
// --profile DIR writes the sidecar's CPU profile there and prints where its main thread spent time.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Backfill } from '../src/shared/backfill';
import { DEFAULT_BACKFILL_CONCURRENCY } from '../src/sidecar/config/schema';
import { createDevSource } from '../src/sidecar/emulator/devResources';
import { spawnEmulator } from '../src/sidecar/emulator/emulatorProcess';
import { cloudTrailFiles } from '../src/sidecar/generate/cloudtrail';
import { ChdbStore } from '../src/sidecar/store/chdb';
import { spawnSidecar, stop } from './processes';
import { cpuByGroup, cpuSeconds, threadCpu } from './threads';
import { numberOption, stringOption } from './args';

const OBJECTS = numberOption('objects', 120);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 1000);
const CONCURRENCY = numberOption('concurrency', DEFAULT_BACKFILL_CONCURRENCY);
const INSERT_ROWS = numberOption('insert-rows', 0);
const PROFILE_OPTION = stringOption('profile');
const PROFILE_DIR = PROFILE_OPTION === undefined ? undefined : resolve(PROFILE_OPTION);

const TOKEN = 'bench-backfill-token-0123456789';
const BUCKET = 'bench-backfill-logs';
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const END = Date.UTC(2026, 9, 2);
const START = END - 86_400_000;

const mb = (bytes: number) => bytes / 1024 / 1024;

interface Rate {
  seconds: number;
  events: number;
}

async function backfill(endpoint: string, dir: string, gzBytes: number, emulatorPid: number | undefined): Promise<Rate> {
  const dev = await createDevSource({ endpoint, id: 'bench', bucket: BUCKET, region: REGION, logType: 'cloudtrail' });
  const { proc: sidecar, url } = await spawnSidecar({
    dir,
    endpoint,
    region: REGION,
    token: TOKEN,
    sources: [dev.source],
    ingest: { backfillConcurrency: CONCURRENCY, ...(INSERT_ROWS ? { insertBatchRows: INSERT_ROWS } : {}) },
    execArgv: PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
  });
  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await response.json()) as T;
  };
  try {
    if (!url) {
      throw new Error('the sidecar did not start');
    }
    const started = Date.now();
    const cpuBefore = { sidecar: cpuSeconds(sidecar.pid), emulator: cpuSeconds(emulatorPid) };
    const threadsBefore = threadCpu(sidecar.pid!);
    const response = await api<Backfill & { message?: string }>('/api/backfills', {
      sourceId: 'bench',
      from: new Date(START).toISOString(),
      to: new Date(END).toISOString(),
      marginMinutes: 0,
    });
    if (!response.id) {
      throw new Error(`backfill not started: ${response.message}`);
    }
    const id = response.id;
    let last: Backfill;
    for (;;) {
      last = await api<Backfill>(`/api/backfills/${id}`);
      if (!last.counters || ['done', 'failed', 'cancelled'].includes(last.state)) {
        break;
      }
      process.stdout.write(`\r  backfill: ${last.counters.processed}/${last.counters.listed} objects, ${last.counters.events} events`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    process.stdout.write('\r\x1b[2K');
    const cpuAfter = { sidecar: cpuSeconds(sidecar.pid), emulator: cpuSeconds(emulatorPid) };
    const threadsAfter = threadCpu(sidecar.pid!);
    if (last.state !== 'done' || last.counters.processed !== OBJECTS) {
      throw new Error(`backfill ${last.state}: ${JSON.stringify(last.counters)} ${last.error ?? ''}`);
    }
    const seconds = (Date.parse(last.finishedAt!) - Date.parse(last.createdAt)) / 1000;
    console.log(
      `  backfill: ${OBJECTS} objects in ${seconds.toFixed(2)} s (first event searchable after ${last.firstEventAfterMs} ms; ${(Date.now() - started) / 1000} s until seen done)`
    );
    console.log(`  backfill: ${mb(gzBytes).toFixed(1)} MB read from S3`);
    const sidecarCpu = cpuAfter.sidecar.all - cpuBefore.sidecar.all;
    const mainCpu = cpuAfter.sidecar.main - cpuBefore.sidecar.main;
    console.log(
      `  backfill: CPU ${sidecarCpu.toFixed(1)} s in the sidecar (${mainCpu.toFixed(1)} s its JavaScript thread, ${(sidecarCpu - mainCpu).toFixed(1)} s its other threads), ` +
        `${(cpuAfter.emulator.all - cpuBefore.emulator.all).toFixed(1)} s in the emulator, over ${seconds.toFixed(1)} s on ${availableParallelism()} cores`
    );
    const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const counter = (name: string) => Number(new RegExp(`^${name}\\{queue="backfill"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    const inserts = counter('lookback_event_inserts_total');
    console.log(`  backfill: ${inserts} inserts of ${Math.round(counter('lookback_event_insert_rows_total') / inserts)} rows on average`);
    const groups = [...cpuByGroup(sidecar.pid!, threadsBefore, threadsAfter)].sort((x, y) => y[1] - x[1]);
    const emulatorCpu = cpuAfter.emulator.all - cpuBefore.emulator.all;
    console.log(`  backfill: the sidecar's CPU by thread: ${groups.map(([group, s]) => `${group} ${s.toFixed(1)} s`).join(', ')}`);
    console.log(
      `  backfill: the ${availableParallelism()} cores were ${Math.round((100 * (sidecarCpu + emulatorCpu)) / (seconds * availableParallelism()))}% busy with the sidecar and the emulator`
    );
    return { seconds, events: last.counters.events };
  } finally {
    await stop(sidecar);
  }
}

async function direct(files: string): Promise<Rate> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-direct-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    const started = performance.now();
    const cpuBefore = cpuSeconds(process.pid);
    await store.exec(`
      INSERT INTO events
      SELECT
        parseDateTime64BestEffortOrZero(JSONExtractString(r, 'eventTime'), 3, 'UTC') AS time,
        now64(3) AS received_at,
        'bench' AS source_id,
        'cloudtrail' AS log_type,
        JSONExtractString(r, 'eventName') AS event_name,
        JSONExtractString(r, 'userIdentity', 'arn') AS actor,
        JSONExtractString(r, 'sourceIPAddress') AS src_ip,
        NULL AS src_port,
        '' AS dst_ip,
        NULL AS dst_port,
        if(JSONExtractString(r, 'errorCode') = '', 'success', 'failure') AS outcome,
        JSONExtractString(r, 'errorCode') AS status,
        if(outcome = 'failure', 'error', 'info') AS severity,
        JSONExtractString(r, 'awsRegion') AS region,
        JSONExtractString(r, 'recipientAccountId') AS account,
        JSONExtractString(r, 'eventSource') AS service,
        JSONExtractString(r, 'userAgent') AS user_agent,
        NULL AS bytes,
        r AS raw,
        CAST(JSONExtractKeysAndValuesRaw(r), 'Map(LowCardinality(String), String)') AS fields,
        '${BUCKET}' AS bucket,
        _file AS key,
        '' AS etag,
        0 AS record_index,
        '' AS backfill_id
      FROM (SELECT _file, arrayJoin(JSONExtractArrayRaw(json, 'Records')) AS r FROM file('${files}/*.json.gz', 'JSONAsString'))`);
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(process.pid).all - cpuBefore.all;
    const { rows } = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    console.log(`  direct:   CPU ${cpu.toFixed(1)} s`);
    console.log(`  direct:   ${rows[0].n} events in ${seconds.toFixed(2)} s`);
    return { seconds, events: Number(rows[0].n) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Self time of the sidecar's main thread by package, from its CPU profile. */
function summariseProfile(dir: string): void {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .pop();
  if (!file) {
    return;
  }
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
    const own = /dist-sidecar\/sidecar\/([^/]+\/[^/.]+)/.exec(frame.url)?.[1];
    const key =
      pkg ?? (own ? `sidecar/${own}` : frame.url.startsWith('node:') ? `node:${frame.url.slice(5).split('/')[0]}` : `(${frame.functionName || 'native'})`);
    totals.set(key, (totals.get(key) ?? 0) + profile.timeDeltas[i]);
    all += profile.timeDeltas[i];
  });
  console.log(`\nsidecar main thread, ${(all / 1e6).toFixed(1)} s profiled (${file}):`);
  for (const [key, us] of [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${((100 * us) / all).toFixed(1).padStart(5)}%  ${key}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-backfill-'));
  const files = join(dir, 'files');
  mkdirSync(files);
  if (PROFILE_DIR) {
    mkdirSync(PROFILE_DIR, { recursive: true });
  }
  const emulator = await spawnEmulator(0);
  try {
    const { endpoint } = emulator;
    const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await createDevSource({ endpoint, id: 'bucket', bucket: BUCKET, region: REGION });
    const generated = cloudTrailFiles({
      account: ACCOUNT,
      region: REGION,
      start: START,
      end: END,
      files: OBJECTS,
      eventsPerFile: EVENTS_PER_OBJECT,
      seed: 4242,
    });
    let gzBytes = 0;
    let plainBytes = 0;
    for (const [i, file] of generated.entries()) {
      const plain = Buffer.from(JSON.stringify({ Records: file.records }));
      const body = gzipSync(plain);
      gzBytes += body.length;
      plainBytes += plain.length;
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: file.key, Body: body }));
      writeFileSync(join(files, `${String(i).padStart(5, '0')}.json.gz`), body);
    }
    console.log(
      `${OBJECTS} CloudTrail objects x ${EVENTS_PER_OBJECT} events: ${mb(gzBytes).toFixed(1)} MB gzipped, ${mb(plainBytes).toFixed(1)} MB decoded; backfill concurrency ${CONCURRENCY}`
    );
    const viaBackfill = await backfill(endpoint, dir, gzBytes, emulator.pid);
    const viaDirect = await direct(files);
    const row = (name: string, r: Rate) =>
      `${name.padEnd(9)} ${String(Math.round(r.events / r.seconds)).padStart(9)} events/s  ${(mb(gzBytes) / r.seconds).toFixed(2).padStart(6)} MB/s gzipped  ${(mb(plainBytes) / r.seconds).toFixed(1).padStart(6)} MB/s decoded`;
    console.log(`\n${row('backfill', viaBackfill)}\n${row('direct', viaDirect)}`);
    console.log(`ratio backfill / direct: ${(viaBackfill.events / viaBackfill.seconds / (viaDirect.events / viaDirect.seconds)).toFixed(2)} (goal >= 0.8)`);
    if (PROFILE_DIR) {
      summariseProfile(PROFILE_DIR);
    }
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
