import { lineBatches, MAX_LINE_CHARS } from './lines';
import { sampleOf, type ParsedEvent, type ParseItem } from './types';

/** What a line parser makes of one line: an event, the reason it is malformed, or null for a line that holds no record (a header). */
export type LineResult = ParsedEvent | string | null;

/**
 * Runs a line parser over a streamed object: one record per line, blank lines ignored, lines over
 * the length limit and lines the parser rejects yielded as malformed with their line number.
 */
export async function* parseLines(chunks: AsyncIterable<Buffer>, parseLine: (text: string, line: number) => LineResult): AsyncGenerator<ParseItem> {
  for await (const batch of lineBatches(chunks)) {
    for (const line of batch) {
      if (line.truncated) {
        const reason = `line is longer than ${MAX_LINE_CHARS} characters; only its start is kept as the sample`;
        yield { malformed: { record: line.number, reason, sample: sampleOf(line.text) } };
        continue;
      }
      if (isBlank(line.text)) {
        continue;
      }
      const result = parseLine(line.text, line.number);
      if (result === null) {
        continue;
      }
      if (typeof result === 'string') {
        yield { malformed: { record: line.number, reason: result, sample: sampleOf(line.text) } };
      } else {
        yield { event: result };
      }
    }
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) {
      return false;
    }
  }
  return true;
}
