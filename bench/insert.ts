// What an insert into the events table costs, by how rows are grouped into inserts.
//   npm run build:bench
//   node dist-bench/bench/insert.js [--objects 120] [--events-per-object 1000] [--runs 3]
//
// N generated CloudTrail objects go through the real parser into event rows (outside the timing).
// The same rows are then inserted into a fresh chDB store several ways, one after the other, and
// each is timed in CPU seconds (/proc) until the merges the inserts set off are over: the whole
// process, and chDB's own threads (every thread but the JavaScript one, which serialises the rows):
//   one object per insert   what ingest does: each object's chunks carry their own dedup token;
//   8 objects per insert    what putting the objects in flight together would save (and lose
//                           the per-object tokens that make redelivery harmless);
//   all in one insert;
//   one object per insert, without the text index on raw   (what the index costs);
//   one object per insert, into daily partitions instead of monthly ones.
// --days N spreads the objects over N days, newest first as a backfill loads them (the generated
// events all fall in one day; each object's are moved to its day): merges then span days, as in
// the demo, where monthly partitions keep rewriting a month's parts.
// Ratios are against "one object per insert" in the same run. Which merges run, and when, varies
// from run to run, so each shape is measured --runs times, alternating, and the least CPU is kept.
// Each line also shows the parts and bytes on disk the merges left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../src/sidecar/store/chdb';
import type { EventRow } from '../src/sidecar/store/eventColumns';
import { toClickHouseTime } from '../src/sidecar/store/time';
import { eventParts, mergesDone, objectRows } from './eventRows';
import { selfCpu } from './threads';
import { numberOption } from './args';

const OBJECTS = numberOption('objects', 120);
const RUNS = numberOption('runs', 3);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 1000);
const DAYS = numberOption('days', 1);
const DAY_MS = 86_400_000;
const MONTHLY = 'PARTITION BY toYYYYMM(time)';

interface Shape {
  name: string;
  objectsPerInsert: number;
  withoutTextIndex?: boolean;
  dailyPartitions?: boolean;
}

/** CPU seconds of this process and of its threads but the JavaScript one, and the parts and bytes the merges left. */
interface Cost {
  all: number;
  store: number;
  parts: number;
  bytes: number;
}

/** The CREATE TABLE statement without one index (its line, and the comma it leaves behind when it was last). */
function withoutIndex(statement: string, name: string): string {
  const lines = statement.split('\n');
  const at = lines.findIndex((line) => line.trim().startsWith(`INDEX ${name} `));
  if (at < 0) {
    throw new Error(`no ${name} index in the events table`);
  }
  if (!lines[at].trimEnd().endsWith(',')) {
    lines[at - 1] = lines[at - 1].replace(/,\s*$/, '');
  }
  return [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n');
}

/** The objects spread over `days` days, newest first: each object's events moved to its day, times of day kept. */
function spreadOverDays(objects: EventRow[][], days: number): EventRow[][] {
  const perDay = Math.ceil(objects.length / days);
  return objects.map((rows, i) => {
    const shiftMs = Math.floor(i / perDay) * DAY_MS;
    return rows.map((row) => ({ ...row, time: toClickHouseTime(Date.parse(`${row.time.replace(' ', 'T')}Z`) - shiftMs) }));
  });
}

async function measure(objects: EventRow[][], shape: Shape): Promise<Cost> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-insert-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    if (shape.withoutTextIndex || shape.dailyPartitions) {
      // Created again rather than altered: an ALTER leaves the table in another state.
      const { rows } = await store.query<{ statement: string }>('SHOW CREATE TABLE events');
      let create = rows[0].statement;
      if (shape.withoutTextIndex) {
        create = withoutIndex(create, 'raw_lower_text');
      }
      if (shape.dailyPartitions) {
        if (!create.includes(MONTHLY)) {
          throw new Error(`the events table is not ${MONTHLY}`);
        }
        create = create.replace(MONTHLY, 'PARTITION BY toYYYYMMDD(time)');
      }
      await store.exec('DROP TABLE events SYNC');
      await store.exec(create);
    }
    const before = selfCpu();
    for (let i = 0; i < objects.length; i += shape.objectsPerInsert) {
      await store.insertEvents(objects.slice(i, i + shape.objectsPerInsert).flat(), `bench-${i}`);
    }
    await mergesDone(store);
    const { rows } = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    if (Number(rows[0].n) !== objects.length * EVENTS_PER_OBJECT) {
      throw new Error(`${shape.name}: ${rows[0].n} rows stored`);
    }
    const after = selfCpu();
    const { parts, bytes } = await eventParts(store);
    return { all: after.all - before.all, store: after.others - before.others, parts, bytes };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const objects = spreadOverDays(await objectRows(OBJECTS, EVENTS_PER_OBJECT), DAYS);
  const bytes = objects.flat().reduce((sum, row) => sum + JSON.stringify(row).length, 0);
  console.log(`${OBJECTS} CloudTrail objects x ${EVENTS_PER_OBJECT} events over ${DAYS} day(s): ${(bytes / 1024 / 1024).toFixed(0)} MB as JSONEachRow`);
  const shapes: Shape[] = [
    { name: 'one object per insert', objectsPerInsert: 1 },
    { name: '8 objects per insert', objectsPerInsert: 8 },
    { name: 'all in one insert', objectsPerInsert: OBJECTS },
    { name: 'one object per insert, no text index', objectsPerInsert: 1, withoutTextIndex: true },
    { name: 'one object per insert, daily partitions', objectsPerInsert: 1, dailyPartitions: true },
  ];
  const results: Array<[string, Cost]> = shapes.map((shape) => [shape.name, { all: Infinity, store: Infinity, parts: 0, bytes: 0 }]);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, shape] of shapes.entries()) {
      const cost = await measure(objects, shape);
      if (cost.all < results[i][1].all) {
        results[i][1] = cost;
      }
    }
  }
  const reference = results[0][1];
  for (const [name, cpu] of results) {
    console.log(
      `${name.padEnd(42)} CPU ${cpu.all.toFixed(1).padStart(5)} s (${(cpu.all / reference.all).toFixed(2)} x one per insert), ` +
        `in chDB's threads ${cpu.store.toFixed(1).padStart(5)} s (${(cpu.store / reference.store).toFixed(2)} x); ` +
        `${cpu.parts} parts, ${(cpu.bytes / 1024 / 1024).toFixed(0)} MB on disk`
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
