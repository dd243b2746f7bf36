// What live objects cost when many arrive together: grouped into shared inserts (ingest.liveGroupMs,
// the default) next to one insert each (liveGroupMs 0), in the same run.
//   npm run build:sidecar && npm run build:bench
//   node dist-bench/bench/live.js [--objects 400] [--events-per-object 50] [--trickle 20] [--runs 2]
//
// N small CloudTrail objects are put into the emulator's S3, and for each mode a fresh sidecar (a
// child process, as in production, on a new embedded store) gets one live notification per object,
// all published at once, as a busy account's trail delivers them. Timed from the first publish until
// every event is searchable; the sidecar's CPU is counted until its merges are over too (it stops
// rising). Then --trickle more objects are notified one at a time, each once the one before is
// searchable: the median time from publish to searchable is a lone live object's latency, linger
// included. Each mode runs --runs times, alternating; the least CPU is kept. Ratios: grouped / alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createDevSource, type DevSource } from '../src/sidecar/emulator/devResources';
import { spawnEmulator } from '../src/sidecar/emulator/emulatorProcess';
import { publishObjectCreated, type CreatedObject } from '../src/sidecar/emulator/notify';
import { cloudTrailFiles } from '../src/sidecar/generate/cloudtrail';
import { spawnSidecar, stop } from './processes';
import { cpuByGroup, cpuSeconds, threadCpu } from './threads';
import { numberOption } from './args';

const OBJECTS = numberOption('objects', 400);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 50);
const RUNS = numberOption('runs', 2);
const TRICKLE = numberOption('trickle', 20);

const TOKEN = 'bench-live-token-0123456789abcdef';
const REGION = 'us-east-1';
const END = Date.UTC(2026, 9, 2);
/** CPU seconds a second at most that count as idle: the sidecar's merges are over. */
const IDLE_CPU = 0.05;

interface Cost {
  seconds: number;
  cpu: number;
  store: number;
  inserts: number;
  /** Median seconds from publishing a lone object's notification to its events being searchable. */
  latency: number;
}

async function run(endpoint: string, dev: DevSource, objects: CreatedObject[], trickle: CreatedObject[], liveGroupMs: number): Promise<Cost> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-live-'));
  const { proc: sidecar, url } = await spawnSidecar({ dir, endpoint, region: REGION, token: TOKEN, sources: [dev.source], ingest: { liveGroupMs } });
  const get = async (path: string) => (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  try {
    if (!url) {
      throw new Error('the sidecar did not start');
    }
    const searchable = async (expected: number, pollMs: number) => {
      for (;;) {
        const { count } = JSON.parse(await get(`/api/events/count?source=${dev.source.id}`)) as { count: number };
        if (count >= expected) {
          return;
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    };
    const expected = objects.length * EVENTS_PER_OBJECT;
    const before = { cpu: cpuSeconds(sidecar.pid), threads: threadCpu(sidecar.pid!) };
    const started = performance.now();
    await Promise.all(objects.map((object) => publishObjectCreated(endpoint, REGION, dev.topicArn, object)));
    await searchable(expected, 200);
    const seconds = (performance.now() - started) / 1000;
    for (let last = cpuSeconds(sidecar.pid).all; ;) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = cpuSeconds(sidecar.pid).all;
      if (now - last < IDLE_CPU) {
        break;
      }
      last = now;
    }
    const after = { cpu: cpuSeconds(sidecar.pid), threads: threadCpu(sidecar.pid!) };
    const groups = cpuByGroup(sidecar.pid!, before.threads, after.threads);
    const metrics = await get('/metrics');
    const inserts = Number(/^lookback_event_inserts_total\{queue="live"\} (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    const store = [...groups].filter(([group]) => group.startsWith('ClickHouse')).reduce((sum, [, s]) => sum + s, 0);
    const latencies: number[] = [];
    for (const [i, object] of trickle.entries()) {
      const published = performance.now();
      await publishObjectCreated(endpoint, REGION, dev.topicArn, object);
      await searchable(expected + (i + 1) * EVENTS_PER_OBJECT, 10);
      latencies.push((performance.now() - published) / 1000);
    }
    latencies.sort((a, b) => a - b);
    return { seconds, cpu: after.cpu.all - before.cpu.all, store, inserts, latency: latencies[Math.floor(latencies.length / 2)] ?? NaN };
  } finally {
    await stop(sidecar);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const emulator = await spawnEmulator(0);
  try {
    const { endpoint } = emulator;
    const dev = await createDevSource({ endpoint, id: 'live', bucket: 'bench-live-logs', region: REGION, logType: 'cloudtrail' });
    const s3 = new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    const files = cloudTrailFiles({
      account: '123456789012',
      region: REGION,
      start: END - 3_600_000,
      end: END,
      files: OBJECTS + TRICKLE,
      eventsPerFile: EVENTS_PER_OBJECT,
      seed: 77,
    });
    const objects: CreatedObject[] = [];
    for (const file of files) {
      const body = gzipSync(JSON.stringify({ Records: file.records }));
      const put = await s3.send(new PutObjectCommand({ Bucket: dev.source.bucket, Key: file.key, Body: body }));
      objects.push({ bucket: dev.source.bucket, key: file.key, size: body.length, etag: (put.ETag ?? '').replace(/"/g, '') });
    }
    console.log(`${OBJECTS} live CloudTrail objects x ${EVENTS_PER_OBJECT} events notified at once, then ${TRICKLE} one at a time`);
    const [burst, trickle] = [objects.slice(0, OBJECTS), objects.slice(OBJECTS)];
    const modes = [
      { name: 'grouped (liveGroupMs 50)', liveGroupMs: 50 },
      { name: 'one insert each (liveGroupMs 0)', liveGroupMs: 0 },
    ];
    const best = modes.map(() => undefined as Cost | undefined);
    for (let r = 0; r < RUNS; r++) {
      for (const [i, mode] of modes.entries()) {
        const cost = await run(endpoint, dev, burst, trickle, mode.liveGroupMs);
        console.log(
          `  ${mode.name}: ${cost.seconds.toFixed(1)} s, CPU ${cost.cpu.toFixed(1)} s (ClickHouse's threads ${cost.store.toFixed(1)} s), ${cost.inserts} inserts; ` +
            `a lone object searchable after ${(cost.latency * 1000).toFixed(0)} ms (median)`
        );
        if (!best[i] || cost.cpu < best[i]!.cpu) {
          best[i] = cost;
        }
      }
    }
    const [grouped, alone] = best as Cost[];
    console.log(
      `\ngrouped / one insert each: time ${(grouped.seconds / alone.seconds).toFixed(2)}, CPU ${(grouped.cpu / alone.cpu).toFixed(2)}, ` +
        `ClickHouse's CPU ${(grouped.store / alone.store).toFixed(2)}, inserts ${grouped.inserts} against ${alone.inserts}, ` +
        `a lone object's latency ${(grouped.latency * 1000).toFixed(0)} ms against ${(alone.latency * 1000).toFixed(0)} ms`
    );
  } finally {
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
