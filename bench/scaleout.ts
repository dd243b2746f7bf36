// Backfill throughput on the ClickHouse-server store with one sidecar and with two sharing it.
//   npm run build:sidecar && npm run build:bench
//   node dist-bench/bench/scaleout.js [--objects 120] [--events-per-object 500] [--page-size 20] [--sidecars 1,2]
//
// N CloudTrail objects are put into the emulator's S3 (a child process). For each sidecar count,
// on a fresh test ClickHouse server (tests/clickhouse/: ClickHouse's HTTP interface on chDB, in
// a child process) and fresh queues, that many `lookback serve` processes start on the same
// store and source, one is asked for a backfill of the range, and it is timed from the request to
// the backfill's finish. Small listing pages make listing units the sidecars share. It prints
// objects/s and events/s per run, what each sidecar listed and ingested, and the ratio of each
// run to the one-sidecar run. On a machine with fewer cores than processes (sidecars, server,
// emulator) a second sidecar adds no CPU: the ratio then shows what sharing costs, not what it
// gains on separate machines.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Backfill } from '../src/shared/backfill';
import { createDevSource } from '../src/sidecar/emulator/devResources';
import { spawnEmulator } from '../src/sidecar/emulator/emulatorProcess';
import { cloudTrailFiles } from '../src/sidecar/generate/cloudtrail';
import { startTestClickHouse } from '../tests/clickhouse/start';
import { stop } from './processes';
import { numberOption, stringOption } from './args';

const OBJECTS = numberOption('objects', 120);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 500);
const PAGE_SIZE = numberOption('page-size', 20);
const COUNTS = (stringOption('sidecars') ?? '1,2').split(',').map(Number);

const CLI = resolve(__dirname, '../../bin/lookback.js');
const TOKEN = 'bench-scaleout-token-0123456789';
const USER = 'lookback';
const PASSWORD = 'bench-scaleout-password';
const BUCKET = 'bench-scaleout-logs';
const REGION = 'us-east-1';
const END = Date.UTC(2026, 9, 2);
const START = END - 86_400_000;

interface Sidecar {
  url: string;
  proc: ChildProcess;
  pages: number;
  objects: number;
}

function startSidecar(dir: string, endpoint: string, storeUrl: string, source: unknown): Promise<Sidecar> {
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      apiToken: TOKEN,
      dataDir: dir,
      aws: { endpoint, region: REGION },
      ingest: { waitTimeSeconds: 1 },
      sources: [source],
    })
  );
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', join(dir, 'config.json')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      LOOKBACK_LOG_LEVEL: 'info',
      LOOKBACK_STORE_KIND: 'clickhouse',
      LOOKBACK_STORE_URL: storeUrl,
      LOOKBACK_STORE_USERNAME: USER,
      LOOKBACK_STORE_PASSWORD: PASSWORD,
      LOOKBACK_LIST_PAGE_SIZE: String(PAGE_SIZE),
    },
  });
  return new Promise((resolveStart, reject) => {
    const sidecar: Sidecar = { url: '', proc, pages: 0, objects: 0 };
    let partial = '';
    proc.stderr!.on('data', (data: Buffer) => {
      const lines = (partial + data.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const msg = /"msg":"([^"]+)"/.exec(line)?.[1];
        sidecar.pages += msg === 'listed a page' ? 1 : 0;
        sidecar.objects += msg === 'object ingested' ? 1 : 0;
        const url = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
        if (url && !sidecar.url) {
          sidecar.url = url;
          resolveStart(sidecar);
        }
      }
    });
    proc.once('exit', (code) => reject(new Error(`a sidecar exited with ${code} before it started`)));
  });
}

async function api<T>(url: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await response.json()) as T;
}

async function run(endpoint: string, count: number): Promise<{ seconds: number; events: number; sidecars: Sidecar[] }> {
  const clickhouse = await startTestClickHouse({ users: { [USER]: PASSWORD } });
  const dev = await createDevSource({ endpoint, id: `bench-${count}`, bucket: BUCKET, region: REGION, logType: 'cloudtrail' });
  const dirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'lookback-bench-scaleout-')));
  const sidecars: Sidecar[] = [];
  try {
    // One after the other: the first migrates the store.
    for (const dir of dirs) {
      sidecars.push(await startSidecar(dir, endpoint, clickhouse.url, dev.source));
    }
    const started = await api<Backfill & { message?: string }>(sidecars[0].url, '/api/backfills', {
      sourceId: dev.source.id,
      from: new Date(START).toISOString(),
      to: new Date(END).toISOString(),
      marginMinutes: 0,
    });
    if (!started.id) {
      throw new Error(`backfill not started: ${started.message}`);
    }
    let last: Backfill;
    for (;;) {
      last = await api<Backfill>(sidecars[0].url, `/api/backfills/${started.id}`);
      if (['done', 'failed', 'cancelled'].includes(last.state)) {
        break;
      }
      process.stdout.write(`\r  ${count} sidecar(s): ${last.counters.processed}/${last.counters.listed} objects`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    process.stdout.write('\r\x1b[2K');
    if (last.state !== 'done' || last.counters.processed !== OBJECTS) {
      throw new Error(`backfill ${last.state}: ${JSON.stringify(last.counters)} ${last.error ?? ''}`);
    }
    return { seconds: (Date.parse(last.finishedAt!) - Date.parse(last.createdAt)) / 1000, events: last.counters.events, sidecars };
  } finally {
    await Promise.all(sidecars.map((s) => stop(s.proc)));
    await clickhouse.stop();
    dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  }
}

async function main(): Promise<void> {
  const emulator = await spawnEmulator(0);
  try {
    const { endpoint } = emulator;
    const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    await createDevSource({ endpoint, id: 'bucket', bucket: BUCKET, region: REGION });
    const files = cloudTrailFiles({
      account: '123456789012',
      region: REGION,
      start: START,
      end: END,
      files: OBJECTS,
      eventsPerFile: EVENTS_PER_OBJECT,
      seed: 1616,
    });
    for (const file of files) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: file.key, Body: gzipSync(JSON.stringify({ Records: file.records })) }));
    }
    console.log(
      `${OBJECTS} CloudTrail objects x ${EVENTS_PER_OBJECT} events, listing pages of ${PAGE_SIZE} keys, ${availableParallelism()} cores; store: the test ClickHouse server (chDB behind HTTP)`
    );
    const results: Array<{ count: number; seconds: number; events: number }> = [];
    for (const count of COUNTS) {
      const result = await run(endpoint, count);
      results.push({ count, ...result });
      const shares = result.sidecars.map((s, i) => `#${i + 1}: ${s.pages} pages, ${s.objects} objects`).join('; ');
      console.log(
        `${count} sidecar(s): ${OBJECTS} objects in ${result.seconds.toFixed(1)} s: ${(OBJECTS / result.seconds).toFixed(1)} objects/s, ${Math.round(result.events / result.seconds)} events/s (${shares})`
      );
    }
    const base = results[0];
    for (const r of results.slice(1)) {
      console.log(`ratio ${r.count} / ${base.count} sidecar(s): ${(base.seconds / r.seconds).toFixed(2)}`);
    }
  } finally {
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
