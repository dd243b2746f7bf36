import { compileQuery, type CompileOptions } from './compiler';
import { QueryError, toErrorBody } from './errors';
import { HEAVY_VALID_QUERIES, HOSTILE_QUERIES } from './hostileQueries';
import { MAX_SQL_BYTES } from './limits';
import { requestInterval } from './prepare';

// Compiling runs on the event loop: whatever the query, it must end at once. Measured as the
// process's CPU time, which other processes on a busy machine do not stretch as they do the wall
// clock, with a generous bound: compiling any of these takes a few ms to about 100 ms.
const GENEROUS_MS = 1000;

const keys = new Set<string>();
for (let i = 0; i < 20_000; i++) {
  keys.add(`key${String(i).padStart(40, '0')}`);
}
const options: CompileOptions = {
  from: Date.parse('2024-03-01T00:00:00Z'),
  to: Date.parse('2024-03-08T00:00:00Z'),
  maxRows: 100,
  fields: { keysFor: () => keys },
};

function timed<T>(run: () => T): { result?: T; error?: unknown; ms: number } {
  const started = process.cpuUsage();
  const cpuMs = () => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  try {
    const result = run();
    return { result, ms: cpuMs() };
  } catch (error) {
    return { error, ms: cpuMs() };
  }
}

describe('compiling stays short and small whatever the query', () => {
  it.each(HOSTILE_QUERIES.map((h) => [h.name, h]))('refuses %s at once, naming the limit', (_name, hostile) => {
    const { error, ms } = timed(() => compileQuery(hostile.query, options));
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toContain(hostile.error);
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it.each(HEAVY_VALID_QUERIES.map((h) => [h.name, h]))('compiles %s at once to little SQL', (_name, heavy) => {
    const { result, error, ms } = timed(() => compileQuery(heavy.query, options));
    expect(error).toBeUndefined();
    expect(Buffer.byteLength(result!.sql)).toBeLessThan(MAX_SQL_BYTES);
    expect(ms).toBeLessThan(GENEROUS_MS);
  });

  it('compiles a let once: lets doubling each other fold to one bound number', () => {
    let query = 'let a0 = 1;';
    for (let i = 1; i < 20; i++) {
      query += ` let a${i} = a${i - 1} + a${i - 1};`;
    }
    const compiled = compileQuery(`${query} CloudTrail | where bytes > a19 | take a5`, options);
    expect(compiled.sql).toMatch(/__t0\.bytes > \{p\d+:Int64\}/);
    expect(compiled.sql.length).toBeLessThan(1000);
    expect(Object.values(compiled.params)).toEqual(expect.arrayContaining(['524288', 32]));
  });

  it('uses the SQL of a let that is no constant once per use, with the same parameters', () => {
    const compiled = compileQuery('let since = ago(2h) + 1h; events | where time > since and receivedAt > since', options);
    const uses = compiled.sql.match(/\(now64\(3, 'UTC'\) - toIntervalMillisecond\(\{p1:Int64\}\)\)/g) ?? [];
    expect(uses).toHaveLength(2);
    expect(compiled.params.p1).toBe(7_200_000);
  });

  it('folds arithmetic of known numbers only where JS computes what ClickHouse would', () => {
    const sql = (expr: string) => compileQuery(`events | extend x = ${expr}`, options).sql;
    expect(sql('-(3 * 4) % 5')).toMatch(/\{p\d+:Int64\} AS "x"/);
    expect(sql('1 / 4')).toMatch(/\{p\d+:Float64\} AS "x"/);
    expect(sql('9007199254740991 + 1')).toMatch(/\(\{p\d+:Int64\} \+ \{p\d+:Int64\}\) AS "x"/);
    expect(sql('5 % 0')).toMatch(/\(\{p\d+:Int64\} % \{p\d+:Int64\}\) AS "x"/);
  });

  it('points at the timespan that is out of range', () => {
    const text = 'events | where time > ago(999999999d)';
    const err = timed(() => compileQuery(text, options)).error as QueryError;
    expect(toErrorBody(text, err)).toMatchObject({ statusCode: 400, position: { line: 1, column: 27, length: 10 } });
    expect(() => requestInterval('99999999999999999999d')).toThrow(/interval "99999999999999999999d" is out of range/);
  });

  it('suggests close field names from a catalog of 20000 keys at once', () => {
    const { error, ms } = timed(() => compileQuery(`events | where key${'0'.repeat(39)}x == "a"`, options));
    expect((error as QueryError).message).toMatch(/unknown field .* \(did you mean .*"key0{40}"/);
    expect(ms).toBeLessThan(GENEROUS_MS);
  });
});
