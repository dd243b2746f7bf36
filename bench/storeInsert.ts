// The ClickHouse-server store's insert path next to chDB's, and RowBinary next to JSONEachRow.
//   npm run build:bench
//   node dist-bench/bench/storeInsert.js [--objects 60] [--events-per-object 1000] [--runs 2]
//
// N generated CloudTrail objects go through the real parser into event rows (outside the timing).
// Then:
//   encoding: the rows of every object as one insert body, JSONEachRow and RowBinary (what both
//             stores get): bytes, and CPU of this (JavaScript) thread;
//   inserts:  one insert per object, each with its token, as ingest does, until the merges they set
//             off are over, into
//             - the chDB store (in this process: RowBinary through a spool file);
//             - the server store with RowBinary, and with JSONEachRow, over HTTP to a server.
// There is no ClickHouse server on these machines: the server is the test server
// (tests/clickhouse/server.ts), ClickHouse's HTTP interface on chDB in a child process, which
// writes each body to a file and inserts it with INSERT ... SELECT FROM file(). Its CPU is shown,
// but it is not a real server's: the sidecar's CPU (this process) is the result to read.
// Each shape runs --runs times, alternating; the least CPU is kept. Ratios are against the chDB store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../src/sidecar/store/chdb';
import { ClickHouseStore, type ClickHouseOptions } from '../src/sidecar/store/clickhouse';
import { encodeEvents } from '../src/sidecar/store/rowBinary';
import type { EventRow } from '../src/sidecar/store/eventColumns';
import type { Store } from '../src/sidecar/store/store';
import { startTestClickHouse, type TestClickHouse } from '../tests/clickhouse/start';
import { mergesDone, objectRows } from './eventRows';
import { cpuOf } from './threads';
import { numberOption } from './args';

const OBJECTS = numberOption('objects', 60);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 1000);
const RUNS = numberOption('runs', 2);

interface Cost {
  wall: number;
  /** CPU seconds of the whole sidecar process (in-process chDB included). */
  sidecar: number;
  /** CPU seconds of its JavaScript thread: serialising rows and talking HTTP. */
  js: number;
  server: number;
}

const NONE: Cost = { wall: Infinity, sidecar: Infinity, js: Infinity, server: Infinity };
const min = (a: Cost, b: Cost): Cost => ({
  wall: Math.min(a.wall, b.wall),
  sidecar: Math.min(a.sidecar, b.sidecar),
  js: Math.min(a.js, b.js),
  server: Math.min(a.server, b.server),
});
const jsThread = `/proc/self/task/${process.pid}/stat`;

function jsonBody(rows: EventRow[]): Buffer {
  return Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'));
}

/** Bytes and least CPU of this thread over five rounds (the first warms the JIT up), the formats alternating. */
function encodings(objects: EventRow[][], formats: Array<(rows: EventRow[]) => Buffer | Buffer[]>): Array<{ seconds: number; bytes: number }> {
  const out = formats.map(() => ({ seconds: Infinity, bytes: 0 }));
  for (let round = 0; round < 5; round++) {
    for (const [i, encode] of formats.entries()) {
      const before = process.cpuUsage();
      const bytes = objects.reduce((sum, rows) => sum + [encode(rows)].flat().reduce((n, chunk) => n + chunk.length, 0), 0);
      const used = process.cpuUsage(before);
      out[i] = { seconds: Math.min(out[i].seconds, (used.user + used.system) / 1e6), bytes };
    }
  }
  return out;
}

async function insertAll(store: Store, objects: EventRow[][], serverPid?: number): Promise<Cost> {
  const server = () => (serverPid ? cpuOf(`/proc/${serverPid}/stat`) : 0);
  const before = { wall: Date.now(), sidecar: cpuOf('/proc/self/stat'), js: cpuOf(jsThread), server: server() };
  for (const [i, rows] of objects.entries()) {
    await store.insertEvents(rows, `bench-${i}`);
  }
  await mergesDone(store);
  const cost = {
    wall: (Date.now() - before.wall) / 1000,
    sidecar: cpuOf('/proc/self/stat') - before.sidecar,
    js: cpuOf(jsThread) - before.js,
    server: server() - before.server,
  };
  const { rows } = await store.query<{ n: number }>('SELECT count() AS n FROM events');
  if (Number(rows[0].n) !== objects.length * EVENTS_PER_OBJECT) {
    throw new Error(`${rows[0].n} rows stored`);
  }
  return cost;
}

async function intoChdb(objects: EventRow[][]): Promise<Cost> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-store-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    return await insertAll(store, objects);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let databases = 0;

async function intoServer(server: TestClickHouse, base: ClickHouseOptions, eventFormat: 'RowBinary' | 'JSONEachRow', objects: EventRow[][]): Promise<Cost> {
  const admin = await ClickHouseStore.connect(base);
  const database = `bench_${++databases}`;
  await admin.exec(`CREATE DATABASE ${database}`);
  const store = await ClickHouseStore.connect({ ...base, database, eventFormat });
  try {
    await store.migrate();
    return await insertAll(store, objects, server.pid);
  } finally {
    await store.close();
    await admin.exec(`DROP DATABASE ${database} SYNC`);
    await admin.close();
  }
}

async function main(): Promise<void> {
  const objects = await objectRows(OBJECTS, EVENTS_PER_OBJECT);
  console.log(`${OBJECTS} CloudTrail objects x ${EVENTS_PER_OBJECT} events, one insert per object, best of ${RUNS}`);

  const [json, binary] = encodings(objects, [jsonBody, encodeEvents]);
  console.log('\nencoding the insert bodies (this thread):');
  for (const [name, e] of [
    ['JSONEachRow', json],
    ['RowBinary', binary],
  ] as const) {
    console.log(
      `  ${name.padEnd(12)} ${(e.bytes / 1024 / 1024).toFixed(1).padStart(6)} MB (${(e.bytes / json.bytes).toFixed(2)} x JSON)  CPU ${e.seconds.toFixed(2).padStart(5)} s (${(e.seconds / json.seconds).toFixed(2)} x JSON)`
    );
  }

  const server = await startTestClickHouse({ users: { bench: 'bench-password' } });
  const base: ClickHouseOptions = { url: server.url, username: 'bench', password: 'bench-password', database: 'default', requestTimeoutSeconds: 300 };
  const shapes: Array<[string, () => Promise<Cost>]> = [
    ['server store, RowBinary', () => intoServer(server, base, 'RowBinary', objects)],
    ['server store, JSONEachRow', () => intoServer(server, base, 'JSONEachRow', objects)],
    ['chDB store (RowBinary spool file, in-process)', () => intoChdb(objects)],
  ];
  const results: Cost[] = shapes.map(() => NONE);
  try {
    // The server shapes alternate first: what chDB leaves running in this process after a session
    // is closed must not count against them.
    for (const group of [shapes.slice(0, 2), shapes.slice(2)]) {
      for (let run = 0; run < RUNS; run++) {
        for (const [name, measure] of group) {
          const i = shapes.findIndex(([n]) => n === name);
          results[i] = min(results[i], await measure());
        }
      }
    }
  } finally {
    await server.stop();
  }
  const reference = results[2];
  const ratio = (value: number, of: number) => `${value.toFixed(1).padStart(5)} s (${(value / of).toFixed(2)} x)`;
  console.log('\ninserting, until the merges are over (ratios against the chDB store):');
  for (const [i, [name]] of shapes.entries()) {
    const r = results[i];
    console.log(
      `  ${name.padEnd(38)} wall ${ratio(r.wall, reference.wall)}  sidecar CPU ${ratio(r.sidecar, reference.sidecar)}, its JS thread ${ratio(r.js, reference.js)}` +
        (i < 2 ? `  test server CPU ${r.server.toFixed(1).padStart(5)} s` : '')
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
