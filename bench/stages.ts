// What a backfill's work costs per stage, for the same objects as bench/backfill, in this process
// alone, without S3, SQS or bookkeeping: on the JavaScript thread, object by object, gunzip,
// splitting the JSON into records, JSON.parse, normalising (CloudTrail: the columns and the
// flattened `fields`), making rows and encoding them into RowBinary; then in chDB, inserting those
// rows in blocks as ingest cuts them, until the merges they set off are over. Every figure is also
// given as a share of the chDB insert measured in the same run, the one stage ClickHouse does.
//   npm run build:bench
//   node dist-bench/bench/stages.js [--objects 1000] [--events-per-object 77] [--runs 2]
// Everything runs --runs times; the least time of each stage is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { configSchema } from '../src/sidecar/config/schema';
import { normaliseCloudTrail } from '../src/sidecar/formats/cloudtrail';
import { flatten } from '../src/sidecar/formats/flatten';
import { jsonRecords } from '../src/sidecar/formats/jsonRecords';
import type { ParsedEvent } from '../src/sidecar/formats/types';
import { BLOCK_WEIGHT, rowWeight } from '../src/sidecar/ingest/blocks';
import { toEventRow } from '../src/sidecar/ingest/rows';
import { ChdbStore } from '../src/sidecar/store/chdb';
import { EventRowEncoder, type EncodedRow } from '../src/sidecar/store/rowBinary';
import { benchFiles, benchRowContext, mergesDone } from './eventRows';
import { selfCpu } from './threads';
import { numberOption } from './args';

const OBJECTS = numberOption('objects', 1000);
const EVENTS_PER_OBJECT = numberOption('events-per-object', 77);
const RUNS = numberOption('runs', 2);
const INSERT_BATCH_ROWS = configSchema.properties.ingest.properties.insertBatchRows.default;

const STAGES = ['gunzip', 'split', 'parse', 'normalise', 'flatten', 'rows', 'encode'] as const;
type Stage = (typeof STAGES)[number];

/** Rows cut into blocks as ingest cuts them (blocks.ts bounds, the default insertBatchRows). */
function blocksOf(rows: EncodedRow[]): EncodedRow[][] {
  const blocks: EncodedRow[][] = [[]];
  let weight = 0;
  for (const row of rows) {
    const block = blocks[blocks.length - 1];
    if (block.length > 0 && (block.length >= INSERT_BATCH_ROWS || weight + rowWeight(row) > BLOCK_WEIGHT)) {
      blocks.push([]);
      weight = 0;
    }
    blocks[blocks.length - 1].push(row);
    weight += rowWeight(row);
  }
  return blocks;
}

/** CPU seconds of chDB's threads (every thread but this one) to insert the blocks and merge what they made. */
async function insertCpu(blocks: EncodedRow[][]): Promise<number> {
  let seconds = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-stages-'));
    const store = new ChdbStore(dir);
    try {
      await store.migrate();
      await mergesDone(store);
      const before = selfCpu().others;
      for (const [i, block] of blocks.entries()) {
        await store.insertEncodedEvents(block, `stages-${i}`);
      }
      await mergesDone(store);
      seconds = Math.min(seconds, selfCpu().others - before);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return seconds;
}

async function main(): Promise<void> {
  const gzipped = benchFiles(OBJECTS, EVENTS_PER_OBJECT).map((file) => gzipSync(Buffer.from(JSON.stringify({ Records: file.records }))));
  const ctx = benchRowContext('key', 'etag');

  // Object by object, as ingest goes, so each stage's garbage is as young as in the sidecar: a stage's
  // time is the wall time of its synchronous work (this process does nothing else meanwhile).
  const best = Object.fromEntries(STAGES.map((stage) => [stage, Infinity])) as Record<Stage, number>;
  let encoded: EncodedRow[] = [];
  for (let run = 0; run < RUNS; run++) {
    const spent = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
    const timed = <T>(stage: Stage, work: () => T): T => {
      const started = performance.now();
      const result = work();
      spent[stage] += performance.now() - started;
      return result;
    };
    encoded = [];
    for (const body of gzipped) {
      const plain = timed('gunzip', () => gunzipSync(body));
      const texts: string[] = [];
      const records = jsonRecords(Readable.from([plain]));
      for (;;) {
        const started = performance.now();
        const next = await records.next();
        spent.split += performance.now() - started;
        if (next.done) {
          break;
        }
        texts.push(next.value.text);
      }
      const parsed = timed('parse', () => texts.map((text) => JSON.parse(text) as unknown));
      timed('flatten', () => parsed.map((record) => flatten(record)));
      const events = timed('normalise', () => parsed.map((record, i) => normaliseCloudTrail(record, texts[i]) as ParsedEvent));
      const rows = timed('rows', () => events.map((event, i) => toEventRow(event, i + 1, ctx)));
      const encoder = new EventRowEncoder();
      encoded.push(...timed('encode', () => rows.map((row) => encoder.encode(row))));
    }
    for (const stage of STAGES) {
      best[stage] = Math.min(best[stage], spent[stage] / 1000);
    }
  }
  const blocks = blocksOf(encoded);
  const insert = await insertCpu(blocks);

  const events = encoded.length;
  const bytes = encoded.reduce((sum, row) => sum + row.length, 0);
  console.log(
    `${OBJECTS} CloudTrail objects x ${EVENTS_PER_OBJECT} events: ${events} rows, ${Math.round(bytes / events)} bytes each in RowBinary, ${blocks.length} inserts`
  );
  const line = (name: string, seconds: number) =>
    console.log(
      `  ${name.padEnd(48)} ${seconds.toFixed(2).padStart(6)} s  ${((seconds / events) * 1e6).toFixed(1).padStart(6)} us/event  ${(seconds / insert).toFixed(2).padStart(5)}x the insert`
    );
  console.log("JavaScript thread (each stage's synchronous work, object by object):");
  line('gunzip', best.gunzip);
  line('split into records (jsonRecords)', best.split);
  line('JSON.parse', best.parse);
  line('normalise (columns and flattened fields)', best.normalise);
  line('  of which flatten (timed apart)', best.flatten);
  line('make rows (toEventRow)', best.rows);
  line('encode RowBinary', best.encode);
  line('all of the above, flatten counted once', best.gunzip + best.split + best.parse + best.normalise + best.rows + best.encode);
  console.log("chDB's threads (CPU):");
  line('insert the blocks, until their merges end', insert);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
