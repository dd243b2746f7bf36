// Event rows for the insert benchmarks: generated CloudTrail objects through the real parser,
// one array of rows per object. And the CPU-time readings they are measured with.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { formatOf } from '../src/sidecar/formats/registry';
import type { ParseItem } from '../src/sidecar/formats/types';
import { cloudTrailFiles } from '../src/sidecar/generate/cloudtrail';
import { toEventRow } from '../src/sidecar/ingest/rows';
import type { EventRow } from '../src/sidecar/store/eventColumns';

export async function objectRows(objects: number, eventsPerObject: number): Promise<EventRow[][]> {
  const end = Date.UTC(2026, 9, 2);
  const files = cloudTrailFiles({
    account: '123456789012',
    region: 'us-east-1',
    start: end - 86_400_000,
    end,
    files: objects,
    eventsPerFile: eventsPerObject,
    seed: 4242,
  });
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
        const ctx = {
          sourceId: 'bench',
          logType: 'cloudtrail',
          bucket: 'bench',
          key: file.key,
          etag: `etag-${i}`,
          backfillId: 'bench',
          receivedAt: '2026-10-02 00:00:00.000',
          fallbackTime: 0,
        };
        rows.push(toEventRow(item.event, index, ctx));
      }
    }
    out.push(rows);
  }
  return out;
}

/** User plus system CPU seconds of a process or thread, from its /proc stat file. */
export function cpuOf(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
