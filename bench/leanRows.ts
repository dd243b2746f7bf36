// What storing each event's data once would save (issue 15, "lean rows"): the same CloudTrail
// rows (generated objects through the real parser) inserted as today and three leaner ways.
//   npm run build:bench
//   node dist-bench/bench/leanRows.js [--objects 40] [--events-per-object 1000] [--runs 3]
//
//   today                     raw, the flattened fields map, the normalised columns;
//   fields minus normalised   the map without the entries whose value a normalised column of the
//                             row holds (eventName, sourceIPAddress, userAgent, …);
//   fields as JSON            the map's entries in a `JSON` column (typed sub-columns) instead;
//   raw alone                 no fields: every field extracted from raw at query time.
// For each: the JSONEachRow bytes per event the sidecar serialises and chDB parses, the JavaScript
// time to serialise them, CPU seconds of the inserts (one object per insert, as ingest does) until
// their merges are over (whole process, and chDB's threads), and bytes per event on disk (columns
// plus indexes). Each shape runs --runs times, alternating; the least CPU is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainPending } from 'chdb';
import { ChdbStore } from '../src/sidecar/store/chdb';
import type { EventRow } from '../src/sidecar/store/eventColumns';
import { mergesDone, objectRows } from './eventRows';
import { selfCpu } from './threads';
import { numberOption } from './args';

const OBJECTS = numberOption('objects', 40);
const RUNS = numberOption('runs', 3);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 1000);
const FIELDS_MAP = '`fields` Map(LowCardinality(String), String) CODEC(ZSTD(1))';
const NORMALISED_TEXT = ['event_name', 'actor', 'src_ip', 'dst_ip', 'status', 'region', 'account', 'service', 'user_agent'] as const;

interface Shape {
  name: string;
  /** The events table's column definition of `fields` (undefined: no such column). */
  fieldsColumn?: string;
  rows(row: EventRow): Record<string, unknown>;
}

const SHAPES: Shape[] = [
  { name: 'today', fieldsColumn: FIELDS_MAP, rows: (row) => row },
  {
    name: 'fields minus normalised',
    fieldsColumn: FIELDS_MAP,
    rows: (row) => {
      const held = new Set<string>(NORMALISED_TEXT.map((c) => row[c]).filter((v) => v !== ''));
      return { ...row, fields: Object.fromEntries(Object.entries(row.fields).filter(([, v]) => !held.has(v))) };
    },
  },
  { name: 'fields as JSON', fieldsColumn: '`fields` JSON', rows: (row) => row },
  {
    name: 'raw alone',
    rows: (row) => {
      const { fields: _fields, ...rest } = row;
      return rest;
    },
  },
];

interface Measured {
  all: number;
  store: number;
  serialiseMs: number;
  jsonBytes: number;
  diskBytes: number;
}

async function measure(objects: EventRow[][], shape: Shape): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-lean-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    const { rows: create } = await store.query<{ statement: string }>('SHOW CREATE TABLE events');
    const statement = create[0].statement;
    if (!statement.includes(FIELDS_MAP)) {
      throw new Error(`the events table has no ${FIELDS_MAP}`);
    }
    const ddl = shape.fieldsColumn ? statement.replace(FIELDS_MAP, shape.fieldsColumn) : statement.replace(/\n\s*`?fields`? Map[^\n]*/, '');
    await store.exec('DROP TABLE events SYNC');
    await store.exec(ddl);
    const shaped = objects.map((rows) => rows.map(shape.rows) as unknown as EventRow[]);
    const started = process.hrtime.bigint();
    let jsonBytes = 0;
    for (const rows of shaped) {
      for (const row of rows) {
        jsonBytes += JSON.stringify(row).length + 1;
      }
    }
    const serialiseMs = Number(process.hrtime.bigint() - started) / 1e6;
    const before = selfCpu();
    for (const [i, rows] of shaped.entries()) {
      await store.insertEvents(rows, `bench-${i}`);
    }
    await mergesDone(store);
    const after = selfCpu();
    const { rows } = await store.query<{ n: number; bytes: number }>(
      "SELECT sum(rows) AS n, sum(data_compressed_bytes + secondary_indices_compressed_bytes) AS bytes FROM system.parts WHERE table = 'events' AND active"
    );
    const events = objects.length * EVENTS_PER_OBJECT;
    if (Number(rows[0].n) !== events) {
      throw new Error(`${shape.name}: ${rows[0].n} rows stored`);
    }
    return {
      all: after.all - before.all,
      store: after.others - before.others,
      serialiseMs,
      jsonBytes: jsonBytes / events,
      diskBytes: Number(rows[0].bytes) / events,
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
    `${'shape'.padEnd(26)}${'JSON B/event'.padStart(13)}${'serialise ms'.padStart(14)}${'CPU s'.padStart(8)}${'x today'.padStart(9)}${'chDB CPU s'.padStart(12)}${'x today'.padStart(9)}${'disk B/event'.padStart(14)}`
  );
  for (const [name, m] of best) {
    console.log(
      `${name.padEnd(26)}${m.jsonBytes.toFixed(0).padStart(13)}${m.serialiseMs.toFixed(0).padStart(14)}${m.all.toFixed(1).padStart(8)}${(m.all / reference.all).toFixed(2).padStart(9)}` +
        `${m.store.toFixed(1).padStart(12)}${(m.store / reference.store).toFixed(2).padStart(9)}${m.diskBytes.toFixed(0).padStart(14)}`
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
