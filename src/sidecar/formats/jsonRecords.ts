import { StringDecoder } from 'node:string_decoder';

/** A complete JSON value's text, or text that is not JSON, with its 1-based record number. */
export interface RecordText {
  record: number;
  text: string;
  /** Set when the text is not a JSON record (garbage between records, truncation). */
  problem?: string;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJ = 123;
const CLOSE_OBJ = 125;
const OPEN_ARR = 91;
const CLOSE_ARR = 93;
const NEWLINE = 10;
const COMMA = 44;
const MAX_GARBAGE_CHARS = 4096;
/** A bigger record is reported and skipped, so one object cannot exhaust memory (CloudTrail caps events at 256 KB). */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
const OVERSIZE_SAMPLE_CHARS = 1024;

/**
 * Splits a stream of JSON into records while holding at most one record in memory: each
 * top-level object (NDJSON or concatenated), each element of a top-level array, and each
 * element of a top-level object's `Records` array (CloudTrail's `{"Records":[...]}`, however
 * large the document). Array elements that are not objects are reported, not dropped, and so
 * are records longer than `maxRecordChars`, which are skipped without being held.
 */
export async function* jsonRecords(chunks: AsyncIterable<Buffer>, recordsKey = 'Records', maxRecordChars = MAX_RECORD_CHARS): AsyncGenerator<RecordText> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let recordDepth = 0;
  let recordsMode = false;
  let topLevelArray = false;
  let recordStart = -1;
  let stringStart = -1;
  let lastKey = '';
  let garbage = '';
  let stray = '';
  let record = 0;
  /** Inside a record that was reported as too long and is being skipped. */
  let oversized = false;

  /** Inside an array whose elements are the records, between elements. */
  const atElement = (): boolean => (topLevelArray || recordsMode) && depth === recordDepth && recordStart < 0;

  function* flushGarbage(): Generator<RecordText> {
    const text = garbage.trim();
    garbage = '';
    if (text && text !== ',') {
      record++;
      yield { record, text, problem: 'not a JSON record' };
    }
  }

  function* flushStray(): Generator<RecordText> {
    const text = stray.trim();
    stray = '';
    if (text) {
      record++;
      yield { record, text, problem: 'not a JSON record: an array element that is not an object' };
    }
  }

  function stringEnded(end: number): void {
    if (depth === 1 && !topLevelArray) {
      lastKey = buf.slice(stringStart + 1, end);
    }
    if (atElement() && stray.length < MAX_GARBAGE_CHARS) {
      stray += buf.slice(stringStart, end + 1);
    }
  }

  async function* scan(text: string): AsyncGenerator<RecordText> {
    let i = buf.length;
    buf += text;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c === BACKSLASH) {
          escaped = true;
        } else if (c === QUOTE) {
          inString = false;
          stringEnded(i);
        }
        continue;
      }
      if (c === QUOTE) {
        // Jump to the closing quote: most of a log record's bytes are inside strings.
        stringStart = i;
        const close = closingQuote(buf, i + 1);
        if (close < 0) {
          inString = true;
          escaped = trailingBackslashes(buf, i + 1) % 2 === 1;
          i = buf.length;
          continue;
        }
        i = close;
        stringEnded(i);
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        if (depth === 0) {
          yield* flushGarbage();
          topLevelArray = c === OPEN_ARR;
          recordsMode = false;
          recordDepth = topLevelArray ? 1 : 0;
          lastKey = '';
        } else if (depth === 1 && c === OPEN_ARR && !topLevelArray && lastKey === recordsKey) {
          recordsMode = true;
          recordDepth = 2;
          recordStart = -1; // the wrapper object is not a record: stop holding it
          oversized = false;
        }
        if (depth === recordDepth && (depth > 0 || c === OPEN_OBJ)) {
          yield* flushStray();
          recordStart = i;
        }
        depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (depth === 0) {
          garbage += buf[i];
          continue;
        }
        if (atElement()) {
          yield* flushStray();
        }
        depth--;
        if (depth === recordDepth && recordStart >= 0) {
          record++;
          yield { record, text: buf.slice(recordStart, i + 1) };
          recordStart = -1;
        } else if (depth === recordDepth && oversized) {
          oversized = false;
        } else if (recordsMode && depth === 1) {
          recordDepth = 0;
          recordsMode = false;
        }
      } else if (atElement()) {
        if (c === COMMA) {
          yield* flushStray();
        } else if (c > 32 && stray.length < MAX_GARBAGE_CHARS) {
          stray += buf[i];
        }
      } else if (depth === 0) {
        if (c === NEWLINE) {
          yield* flushGarbage();
        } else if (garbage.length < MAX_GARBAGE_CHARS) {
          garbage += buf[i];
        }
      }
    }
    if (recordStart >= 0 && buf.length - recordStart > maxRecordChars) {
      record++;
      const sample = buf.slice(recordStart, recordStart + OVERSIZE_SAMPLE_CHARS);
      yield { record, text: sample, problem: `record longer than ${maxRecordChars} characters: skipped` };
      recordStart = -1;
      oversized = true;
    }
    // Keep what is still needed: the unfinished record, or a key or stray string being read.
    const keepFrom = recordStart >= 0 ? recordStart : inString && (depth === 1 || atElement()) ? stringStart : buf.length;
    buf = buf.slice(keepFrom);
    if (recordStart >= 0) {
      recordStart -= keepFrom;
    }
    stringStart -= keepFrom;
  }

  for await (const chunk of chunks) {
    yield* scan(decoder.write(chunk));
  }
  yield* scan(decoder.end());
  yield* flushGarbage();
  if (oversized) {
    // Already reported as too long.
  } else if (recordStart >= 0 || (depth > 0 && !recordsMode && recordDepth === 0)) {
    record++;
    const start = Math.max(recordStart, 0);
    yield { record, text: buf.slice(start), problem: 'truncated: the object ends inside this record' };
  } else if (depth > 0) {
    record++;
    yield { record, text: '', problem: 'truncated: the object ends inside its JSON document' };
  }
}

/** The position of the quote that closes a string whose text starts at `from`, or -1 when it is not in `text`. */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at >= 0; at = text.indexOf('"', at + 1)) {
    if (trailingBackslashes(text, from, at) % 2 === 0) {
      return at;
    }
  }
  return -1;
}

/** How many backslashes end `text.slice(from, end)`. */
function trailingBackslashes(text: string, from: number, end = text.length): number {
  let count = 0;
  for (let j = end - 1; j >= from && text.charCodeAt(j) === BACKSLASH; j--) {
    count++;
  }
  return count;
}
