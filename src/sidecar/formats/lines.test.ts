import { lines, type Line } from './lines';
import { chunksOf } from './parseAll';

async function collect(data: string | Buffer, chunkSize: number, maxChars?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of lines(chunksOf(data, chunkSize), maxChars)) {
    out.push(line);
  }
  return out;
}

describe('lines', () => {
  const text = 'first\r\nsecond\n\nfourth é ✓\r\nlast without newline';

  it.each([1, 2, 3, 5, 64 * 1024])('splits CRLF and LF lines, numbered from 1, in chunks of %i bytes', async (size) => {
    expect(await collect(text, size)).toEqual([
      { number: 1, text: 'first' },
      { number: 2, text: 'second' },
      { number: 3, text: '' },
      { number: 4, text: 'fourth é ✓' },
      { number: 5, text: 'last without newline' },
    ]);
  });

  it('does not invent a line after a final newline, and reads an empty object as no lines', async () => {
    expect(await collect('a\nb\n', 1)).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'b' },
    ]);
    expect(await collect('', 10)).toEqual([]);
  });

  it('drops a UTF-8 byte order mark at the start', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('header\nrow\n')]);
    expect((await collect(bom, 2)).map((l) => l.text)).toEqual(['header', 'row']);
  });

  it('cuts a line longer than the limit, marks it, and goes on with the next line', async () => {
    const long = 'x'.repeat(50);
    const got = await collect(`short\n${long}\nafter`, 7, 20);
    expect(got).toEqual([
      { number: 1, text: 'short' },
      { number: 2, text: 'x'.repeat(20), truncated: true },
      { number: 3, text: 'after' },
    ]);
  });

  it('cuts an overlong final line that has no newline', async () => {
    expect(await collect('y'.repeat(30), 4, 10)).toEqual([{ number: 1, text: 'y'.repeat(10), truncated: true }]);
  });
});
