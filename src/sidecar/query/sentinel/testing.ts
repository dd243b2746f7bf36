import { gunzipSync } from 'node:zlib';
import { timeFromKey } from '../../keys/keyTime';
import { chunksOf } from '../../formats/parseAll';
import { detectFormat } from '../../formats/registry';
import { createBucket } from '../../generate/bucket';
import type { GenerateOptions } from '../../generate/types';
import { toEventRow } from '../../ingest/rows';
import type { EventRow } from '../../store/eventColumns';

/**
 * The rows ingest would store for one object: detected by its key, parsed by the real format,
 * made rows. For tests and benchmarks that need stored events of every log type.
 */
export async function rowsOfObject(key: string, body: Buffer, sourceId = 'generated'): Promise<EventRow[]> {
  const detection = detectFormat('auto', key, body.subarray(0, 4096).toString('utf8'));
  if ('error' in detection) {
    throw new Error(`${key}: ${detection.error}`);
  }
  if (detection.skip) {
    return [];
  }
  const keyTime = timeFromKey(key);
  const context = {
    sourceId,
    logType: detection.format.type,
    bucket: 'generated',
    key,
    etag: key,
    backfillId: '',
    receivedAt: '2024-01-01 00:00:00.000',
    fallbackTime: keyTime ?? 0,
  };
  const rows: EventRow[] = [];
  for await (const item of detection.format.parse(chunksOf(body, 64 * 1024), {
    bucket: 'generated',
    key,
    size: body.length,
    keyTime,
  })) {
    if ('event' in item) {
      rows.push(toEventRow(item.event, rows.length, context));
    }
  }
  return rows;
}

/** The events of a generated bucket (CloudTrail, ALB, VPC flow, with its incident), object by object, as ingest stores them. */
export async function* generatedRows(options: GenerateOptions): AsyncGenerator<EventRow[]> {
  for (const object of createBucket(options).objects()) {
    yield await rowsOfObject(object.key, gunzipSync(object.body));
  }
}
