// Event rows for the insert benchmarks: generated CloudTrail objects through the real parser,
// one array of rows per object. And the CPU-time readings and merge waits they are measured with.
import { Readable } from 'node:stream';
import { formatOf } from '../src/sidecar/formats/registry';
import type { ParseItem } from '../src/sidecar/formats/types';
import { cloudTrailFiles } from '../src/sidecar/generate/cloudtrail';
import { toEventRow, type RowContext } from '../src/sidecar/ingest/rows';
import type { EventRow } from '../src/sidecar/store/eventColumns';
import type { Store } from '../src/sidecar/store/store';

const MERGES_TIMEOUT_MS = 60_000;

/** The benchmarks' CloudTrail objects: a day of one account and region, the same for a given size. */
export function benchFiles(objects: number, eventsPerObject: number) {
  const end = Date.UTC(2026, 9, 2);
  return cloudTrailFiles({
    account: '123456789012',
    region: 'us-east-1',
    start: end - 86_400_000,
    end,
    files: objects,
    eventsPerFile: eventsPerObject,
    seed: 4242,
  });
}

/** What the rows of one benchmark object are filed under. */
export function benchRowContext(key: string, etag: string): RowContext {
  return { sourceId: 'bench', logType: 'cloudtrail', bucket: 'bench', key, etag, backfillId: 'bench', receivedAt: '2026-10-02 00:00:00.000', fallbackTime: 0 };
}

export async function objectRows(objects: number, eventsPerObject: number): Promise<EventRow[][]> {
  const files = benchFiles(objects, eventsPerObject);
  const format = formatOf('cloudtrail')!;
  const out: EventRow[][] = [];
  for (const [i, file] of files.entries()) {
    const body = Buffer.from(JSON.stringify({ Records: file.records }));
    const rows: EventRow[] = [];
    let index = 0;
    for await (const item of format.parse(Readable.from([body]), {
      bucket: 'bench',
      key: file.key,
      size: body.length,
      keyTime: null,
    }) as AsyncIterable<ParseItem>) {
      index++;
      if ('event' in item) {
        rows.push(toEventRow(item.event, index, benchRowContext(file.key, `etag-${i}`)));
      }
    }
    out.push(rows);
  }
  return out;
}

/** Waits until no merge of the events table has run for three checks in a row (at most a minute). */
export async function mergesDone(store: Pick<Store, 'query'>): Promise<void> {
  const deadline = Date.now() + MERGES_TIMEOUT_MS;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { rows } = await store.query<{ n: number }>("SELECT count() AS n FROM system.merges WHERE database = currentDatabase() AND table = 'events'");
    quiet = Number(rows[0].n) === 0 ? quiet + 1 : 0;
  }
}

/** The events table's active parts: how many, in how many partitions, their rows, and their compressed bytes (data and indexes). */
export async function eventParts(store: Pick<Store, 'query'>): Promise<{ parts: number; partitions: number; rows: number; bytes: number }> {
  const { rows } = await store.query<{ parts: number; partitions: number; n: number; bytes: number }>(
    `SELECT count() AS parts, uniqExact(partition) AS partitions, sum(rows) AS n, sum(data_compressed_bytes + secondary_indices_compressed_bytes) AS bytes
     FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active`
  );
  const [r] = rows;
  return { parts: Number(r.parts), partitions: Number(r.partitions), rows: Number(r.n), bytes: Number(r.bytes) };
}
