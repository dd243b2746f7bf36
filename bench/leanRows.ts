// What storing each event's data once would save (issue 15, "lean rows"): the same CloudTrail
// rows (generated objects through the real parser) inserted as today and two leaner ways.
//   npm run build:bench
//   node dist-bench/bench/leanRows.js [--objects 40] [--events-per-object 1000] [--runs 3]
//
//   today                     raw, the flattened fields map, the normalised columns;
//   fields minus normalised   the map without the entries whose value a normalised column of the
//                             row holds (eventName, sourceIPAddress, userAgent, …);
//   raw alone                 empty fields maps: every field extracted from raw at query time.
// For each: the RowBinary bytes per event the sidecar encodes and chDB reads (rowBinary.ts), the
// JavaScript time to encode them, CPU seconds of the inserts (one object per insert) until their
// merges are over (whole process, and chDB's threads), and bytes per event on disk (columns plus
// indexes). Each shape runs --runs times, alternating; the least CPU is kept.
// (A `JSON` column for the fields, measured when inserts were JSONEachRow at 1.77x the insert CPU
// and 17% more disk, cannot be fed the RowBinary rows ingest writes, so it is not measured here.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainPending } from 'chdb';
import { ChdbStore } from '../src/sidecar/store/chdb';
import type { EventRow } from '../src/sidecar/store/eventColumns';
import { encodeEvents, type EncodedRow } from '../src/sidecar/store/rowBinary';
import { eventParts, mergesDone, objectRows } from './eventRows';
import { selfCpu } from './threads';
import { numberOption } from './args';

const OBJECTS = numberOption('objects', 40);
const RUNS = numberOption('runs', 3);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 1000);
const NORMALISED_TEXT = ['event_name', 'actor', 'src_ip', 'dst_ip', 'status', 'region', 'account', 'service', 'user_agent'] as const;

interface Shape {
  name: string;
  rows(row: EventRow): EventRow;
}

const SHAPES: Shape[] = [
  { name: 'today', rows: (row) => row },
  {
    name: 'fields minus normalised',
    rows: (row) => {
      const held = new Set<string>(NORMALISED_TEXT.map((c) => row[c]).filter((v) => v !== ''));
      return { ...row, fields: Object.fromEntries(Object.entries(row.fields).filter(([, v]) => !held.has(v))) };
    },
  },
  { name: 'raw alone', rows: (row) => ({ ...row, fields: {} }) },
];

interface Measured {
  all: number;
  store: number;
  encodeMs: number;
  encodedBytes: number;
  diskBytes: number;
}

async function measure(objects: EventRow[][], shape: Shape): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-lean-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    const shaped = objects.map((rows) => rows.map(shape.rows));
    const started = process.hrtime.bigint();
    const encoded: EncodedRow[][] = shaped.map(encodeEvents);
    const encodeMs = Number(process.hrtime.bigint() - started) / 1e6;
    const encodedBytes = encoded.flat().reduce((sum, row) => sum + row.length, 0);
    const before = selfCpu();
    for (const [i, rows] of encoded.entries()) {
      await store.insertEncodedEvents(rows, `bench-${i}`);
    }
    await mergesDone(store);
    const after = selfCpu();
    const stored = await eventParts(store);
    const events = objects.length * EVENTS_PER_OBJECT;
    if (stored.rows !== events) {
      throw new Error(`${shape.name}: ${stored.rows} rows stored`);
    }
    return {
      all: after.all - before.all,
      store: after.others - before.others,
      encodeMs,
      encodedBytes: encodedBytes / events,
      diskBytes: stored.bytes / events,
    };
  } finally {
    await store.close();
    await drainPending();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const objects = await objectRows(OBJECTS, EVENTS_PER_OBJECT);
  console.log(`${OBJECTS} CloudTrail objects x ${EVENTS_PER_OBJECT} events, one object per insert`);
  const best = new Map<string, Measured>();
  for (let run = 0; run < RUNS; run++) {
    for (const shape of SHAPES) {
      const m = await measure(objects, shape);
      const kept = best.get(shape.name);
      best.set(shape.name, kept && kept.all <= m.all ? kept : m);
    }
  }
  const reference = best.get('today')!;
  console.log(
    `${'shape'.padEnd(26)}${'RowBinary B/event'.padStart(18)}${'encode ms'.padStart(11)}${'CPU s'.padStart(8)}${'x today'.padStart(9)}${'chDB CPU s'.padStart(12)}${'x today'.padStart(9)}${'disk B/event'.padStart(14)}`
  );
  for (const [name, m] of best) {
    console.log(
      `${name.padEnd(26)}${m.encodedBytes.toFixed(0).padStart(18)}${m.encodeMs.toFixed(0).padStart(11)}${m.all.toFixed(1).padStart(8)}${(m.all / reference.all).toFixed(2).padStart(9)}` +
        `${m.store.toFixed(1).padStart(12)}${(m.store / reference.store).toFixed(2).padStart(9)}${m.diskBytes.toFixed(0).padStart(14)}`
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
