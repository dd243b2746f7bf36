/** How much of one object is read at most (config `ingest.maxObjectBytes`, `ingest.maxObjectRecords`). */
export interface ObjectLimits {
  maxBytes: number;
  maxRecords: number;
}

/** An object over a per-object limit: what was read before it is kept, the rest is not read. */
export class ObjectLimitError extends Error {
  constructor(
    message: string,
    /** The setting to raise, and its variable. */
    readonly setting: string,
    readonly variable: string
  ) {
    super(message);
  }

  /** The ledger's reason for the object, with what was kept and how to read it whole. */
  reason(where: string, events: number, malformed: number): string {
    const kept = malformed > 0 ? `${events} events (and ${malformed} malformed records)` : `${events} events`;
    return `${where} ${this.message} (${this.setting}): the ${kept} before the limit were kept, the rest was not read; raise ${this.setting} (${this.variable}) to read it whole`;
  }
}

const count = (n: number) => n.toLocaleString('en-US');

export function recordLimitError(maxRecords: number): ObjectLimitError {
  return new ObjectLimitError(`has more than ${count(maxRecords)} records`, 'ingest.maxObjectRecords', 'LOOKBACK_MAX_OBJECT_RECORDS');
}

export function byteLimitError(maxBytes: number): ObjectLimitError {
  return new ObjectLimitError(`decompresses to more than ${count(maxBytes)} bytes`, 'ingest.maxObjectBytes', 'LOOKBACK_MAX_OBJECT_BYTES');
}

/**
 * Passes at most `maxBytes` of a decoded stream, then throws an ObjectLimitError, so a gzip bomb
 * costs no more than the limit. The parser sees the bytes up to the limit and the error after
 * them, so a record cut by the limit is never parsed.
 */
export async function* limitBytes(chunks: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of chunks) {
    if (read + chunk.length > maxBytes) {
      if (maxBytes > read) {
        yield chunk.subarray(0, maxBytes - read);
      }
      throw byteLimitError(maxBytes);
    }
    read += chunk.length;
    yield chunk;
  }
}
