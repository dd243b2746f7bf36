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

describe('jsonRecords array elements that are not objects', () => {
  it.each([1, 2, 5, 1000])('reports them as problems in place, in chunks of %i chars', async (n) => {
    const records = await collect(split('{"Records":[{"a":1}, "a \\"string\\"", 42 ,null,{"b":2}]}\n[true, {"c":3}]', n));
    expect(records.map((r) => [r.record, r.problem ?? 'ok', r.text])).toEqual([
      [1, 'ok', '{"a":1}'],
      [2, 'not a JSON record: an array element that is not an object', '"a \\"string\\""'],
      [3, 'not a JSON record: an array element that is not an object', '42'],
      [4, 'not a JSON record: an array element that is not an object', 'null'],
      [5, 'ok', '{"b":2}'],
      [6, 'not a JSON record: an array element that is not an object', 'true'],
      [7, 'ok', '{"c":3}'],
    ]);
  });
});

describe('jsonRecords strings', () => {
  const doc = '{"Records":[{"path":"C:\\\\dir\\\\","q":"say \\"}\\" ok","n":1},{"e":"\\\\\\"]"}]}';

  it.each([1, 2, 3, 4, 6, 1000])('finds the end of strings with escaped backslashes and quotes, in chunks of %i chars', async (n) => {
    const records = await collect(split(doc, n));
    expect(records.map((r) => JSON.parse(r.text))).toEqual([{ path: 'C:\\dir\\', q: 'say "}" ok', n: 1 }, { e: '\\"]' }]);
  });
});

describe('jsonRecords oversized records', () => {
  it.each([7, 64])('reports a record longer than the limit once, skips it and reads on (chunks of %i chars)', async (n) => {
    const big = `{"big":"${'x'.repeat(300)}","nested":{"a":[1,2,{"b":"}"}]}}`;
    const records: RecordText[] = [];
    for await (const r of jsonRecords(
      (async function* () {
        yield* split(`{"Records":[{"a":1},${big},{"c":3}]}\n{"d":4}\n${big}`, n).map((p) => Buffer.from(p));
      })(),
      'Records',
      100
    )) {
      records.push(r);
    }
    expect(records.map((r) => [r.record, r.problem ?? JSON.parse(r.text)])).toEqual([
      [1, { a: 1 }],
      [2, 'record longer than 100 characters: skipped'],
      [3, { c: 3 }],
      [4, { d: 4 }],
      [5, 'record longer than 100 characters: skipped'],
    ]);
    expect(records[1].text.startsWith('{"big":"xxx')).toBe(true);
  });
});
