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
const MAX_GARBAGE_CHARS = 4096;

/**
 * Splits a stream of JSON into records while holding at most one record in memory: each
 * top-level object (NDJSON or concatenated), each element of a top-level array, and each
 * element of a top-level object's `Records` array (CloudTrail's `{"Records":[...]}`, however
 * large the document).
 */
export async function* jsonRecords(chunks: AsyncIterable<Buffer>, recordsKey = 'Records'): AsyncGenerator<RecordText> {
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
  let record = 0;

  function* flushGarbage(): Generator<RecordText> {
    const text = garbage.trim();
    garbage = '';
    if (text && text !== ',') {
      record++;
      yield { record, text, problem: 'not a JSON record' };
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
          if (depth === 1 && !topLevelArray) {
            lastKey = buf.slice(stringStart + 1, i);
          }
        }
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        stringStart = i;
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
        }
        if (depth === recordDepth && (depth > 0 || c === OPEN_OBJ)) {
          recordStart = i;
        }
        depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (depth === 0) {
          garbage += buf[i];
          continue;
        }
        depth--;
        if (depth === recordDepth && recordStart >= 0) {
          record++;
          yield { record, text: buf.slice(recordStart, i + 1) };
          recordStart = -1;
        } else if (recordsMode && depth === 1) {
          recordDepth = 0;
          recordsMode = false;
        }
      } else if (depth === 0) {
        if (c === NEWLINE) {
          yield* flushGarbage();
        } else if (garbage.length < MAX_GARBAGE_CHARS) {
          garbage += buf[i];
        }
      }
    }
    // Keep what is still needed: the unfinished record, or a key being read at depth 1.
    const keepFrom = recordStart >= 0 ? recordStart : inString && depth === 1 ? stringStart : buf.length;
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
  if (recordStart >= 0 || (depth > 0 && !recordsMode && recordDepth === 0)) {
    record++;
    const start = Math.max(recordStart, 0);
    yield { record, text: buf.slice(start), problem: 'truncated: the object ends inside this record' };
  } else if (depth > 0) {
    record++;
    yield { record, text: '', problem: 'truncated: the object ends inside its JSON document' };
  }
}
