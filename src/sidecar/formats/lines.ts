import { StringDecoder } from 'node:string_decoder';

export interface Line {
  /** 1-based line number in the object. */
  number: number;
  /** The line without its `\n` or `\r\n`. */
  text: string;
  /** Set when the line was longer than the limit: `text` holds its start only. */
  truncated?: boolean;
}

/** A longer line is cut (and reported by the parsers) so one bad object cannot exhaust memory. */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

const NEWLINE = '\n';

/**
 * Splits decoded text into lines while it streams, holding one partial line at most: tolerant of
 * CRLF, of a UTF-8 byte order mark, of a final line without newline, and of characters split
 * across chunks. Yields the lines of each chunk together, so parsers pay one await per chunk.
 */
export async function* lineBatches(chunks: AsyncIterable<Buffer>, maxChars = MAX_LINE_CHARS): AsyncGenerator<Line[]> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let number = 0;
  let overflow: string | undefined;

  const cut = (text: string): Line => {
    number++;
    const line: Line = { number, text: number === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    if (line.text.endsWith('\r')) {
      line.text = line.text.slice(0, -1);
    }
    return line;
  };

  const split = (text: string): Line[] => {
    const out: Line[] = [];
    let start = 0;
    let end = text.indexOf(NEWLINE);
    if (end >= 0 && overflow !== undefined) {
      number++;
      out.push({ number, text: overflow, truncated: true });
      overflow = undefined;
      partial = '';
      start = end + 1;
      end = text.indexOf(NEWLINE, start);
    } else if (end >= 0 && partial) {
      out.push(cut(partial + text.slice(0, end)));
      partial = '';
      start = end + 1;
      end = text.indexOf(NEWLINE, start);
    }
    while (end >= 0) {
      out.push(cut(text.slice(start, end)));
      start = end + 1;
      end = text.indexOf(NEWLINE, start);
    }
    if (start < text.length && overflow === undefined) {
      partial += text.slice(start);
      if (partial.length > maxChars) {
        overflow = partial.slice(0, maxChars);
        partial = '';
      }
    }
    return out;
  };

  for await (const chunk of chunks) {
    const batch = split(decoder.write(chunk));
    if (batch.length) {
      yield batch;
    }
  }
  const last = split(decoder.end());
  if (overflow !== undefined) {
    number++;
    last.push({ number, text: overflow, truncated: true });
  } else if (partial) {
    last.push(cut(partial));
  }
  if (last.length) {
    yield last;
  }
}

/** The lines of a stream one by one (see lineBatches). */
export async function* lines(chunks: AsyncIterable<Buffer>, maxChars = MAX_LINE_CHARS): AsyncGenerator<Line> {
  for await (const batch of lineBatches(chunks, maxChars)) {
    yield* batch;
  }
}
