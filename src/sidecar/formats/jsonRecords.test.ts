import { jsonRecords, type RecordText } from './jsonRecords';

async function collect(parts: string[]): Promise<RecordText[]> {
  async function* chunks() {
    for (const p of parts) {
      yield Buffer.from(p);
    }
  }
  const out: RecordText[] = [];
  for await (const r of jsonRecords(chunks())) {
    out.push(r);
  }
  return out;
}

/** Splits text into chunks of n characters to exercise every boundary. */
function split(text: string, n: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += n) {
    parts.push(text.slice(i, i + n));
  }
  return parts;
}

describe('jsonRecords', () => {
  const wrapped = '{"Records":[{"a":1,"s":"x}]\\"{"},{"b":[2,{"c":3}]}],"other":{"d":4}}';

  it.each([1, 2, 3, 7, 1000])('yields each element of Records, in chunks of %i chars', async (n) => {
    const records = await collect(split(wrapped, n));
    expect(records.map((r) => JSON.parse(r.text))).toEqual([{ a: 1, s: 'x}]"{' }, { b: [2, { c: 3 }] }]);
    expect(records.every((r) => r.problem === undefined)).toBe(true);
  });

  it('yields NDJSON lines and top-level arrays', async () => {
    const records = await collect(['{"a":1}\n{"a":2}\n', '[{"a":3},{"a":4}]\n']);
    expect(records.map((r) => JSON.parse(r.text).a)).toEqual([1, 2, 3, 4]);
    expect(records.map((r) => r.record)).toEqual([1, 2, 3, 4]);
  });

  it('yields a document without Records as one record', async () => {
    const records = await collect(['{"digest":true,"list":[{"x":1}]}']);
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0].text)).toEqual({ digest: true, list: [{ x: 1 }] });
  });

  it('reports text that is not JSON, line by line, and keeps going', async () => {
    const records = await collect(['hello world\n{"a":1}\nnot json either\n']);
    expect(records.map((r) => [r.problem ?? 'ok', r.text])).toEqual([
      ['not a JSON record', 'hello world'],
      ['ok', '{"a":1}'],
      ['not a JSON record', 'not json either'],
    ]);
  });

  it('reports a truncated record at the end', async () => {
    const records = await collect(['{"Records":[{"a":1},{"b":']);
    expect(records.map((r) => r.problem ?? 'ok')).toEqual(['ok', 'truncated: the object ends inside this record']);
  });
});
