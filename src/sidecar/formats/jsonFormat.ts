import { jsonRecords } from './jsonRecords';
import { sampleOf, type ParsedEvent, type ParseItem } from './types';

/** What a record normaliser makes of one parsed JSON record: an event, or why it is malformed. */
export type JsonResult = ParsedEvent | string;

/**
 * Runs a normaliser over the JSON records of a streamed object (JSON lines, concatenated
 * objects, a top-level array or a `{"Records":[...]}` document), one record in memory at a time.
 */
export async function* parseJsonRecords(chunks: AsyncIterable<Buffer>, normalise: (record: unknown, text: string) => JsonResult): AsyncGenerator<ParseItem> {
  for await (const { record, text, problem } of jsonRecords(chunks)) {
    if (problem) {
      yield { malformed: { record, reason: problem, sample: sampleOf(text) } };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      yield { malformed: { record, reason: `invalid JSON: ${(err as Error).message}`, sample: sampleOf(text) } };
      continue;
    }
    const result = normalise(parsed, text);
    if (typeof result === 'string') {
      yield { malformed: { record, reason: result, sample: sampleOf(text) } };
    } else {
      yield { event: result };
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The string at a path of nested objects, or '' when any step is missing or not a string/number. */
export function textAt(value: unknown, ...path: string[]): string {
  let at: unknown = value;
  for (const step of path) {
    if (!isRecord(at)) {
      return '';
    }
    at = at[step];
  }
  return typeof at === 'string' ? at : typeof at === 'number' ? String(at) : '';
}
