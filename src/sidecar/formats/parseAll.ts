import { timeFromKey } from '../keys/keyTime';
import type { LogFormat, MalformedRecord, ObjectInfo, ParsedEvent } from './types';

export interface ParseResult {
  events: ParsedEvent[];
  malformed: MalformedRecord[];
}

/** The decoded bytes of an object as a stream of chunks of `size` bytes (small sizes exercise every boundary). */
export async function* chunksOf(data: Buffer | string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let i = 0; i < bytes.length; i += size) {
    yield bytes.subarray(i, i + size);
  }
}

/** What a parser knows about an object stored under `key`. */
export function objectInfo(key: string, size = 0, timeField?: string): ObjectInfo {
  return { bucket: 'logs', key, size, keyTime: timeFromKey(key), timeField };
}

/** Runs a parser over a whole object and collects what it yields (for tests and benchmarks, not for ingest). */
export async function parseAll(format: LogFormat, chunks: AsyncIterable<Buffer>, info: ObjectInfo): Promise<ParseResult> {
  const result: ParseResult = { events: [], malformed: [] };
  for await (const item of format.parse(chunks, info)) {
    if ('event' in item) {
      result.events.push(item.event);
    } else {
      result.malformed.push(item.malformed);
    }
  }
  return result;
}
