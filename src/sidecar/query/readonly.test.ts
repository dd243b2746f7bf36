import { DEFAULT_LIMITS, execute, QueryExecutionError } from './execute';
import { fixtureRows, openTestStore, type TestStore } from './testing';

// What the store enforces for every search (QueryOptions → SETTINGS readonly, limits), checked
// on chDB itself, whatever SQL reaches it.

describe('queries run read-only and within limits', () => {
  let db: TestStore;
  const readonly = { readonly: true, maxExecutionSeconds: 10 };

  beforeAll(async () => {
    db = await openTestStore();
  });
  afterAll(() => db.close());

  it.each([
    ['INSERT', "INSERT INTO events (time, raw) SELECT now64(3), 'x'"],
    ['CREATE', 'CREATE TABLE evil (x UInt8) ENGINE = Memory'],
    ['DROP', 'DROP TABLE events'],
    ['TRUNCATE', 'TRUNCATE TABLE events'],
    ['ALTER DELETE', 'ALTER TABLE events DELETE WHERE 1'],
    ['OPTIMIZE', 'OPTIMIZE TABLE events'],
    ['file()', "SELECT * FROM file('/etc/hostname', 'LineAsString')"],
    ['url()', "SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')"],
    ['s3()', "SELECT * FROM s3('http://127.0.0.1:1/bucket/key.csv', 'CSV')"],
    ['remote()', "SELECT * FROM remote('127.0.0.1', system.one)"],
  ])('refuses %s', async (_, sql) => {
    await expect(db.store.query(sql, {}, readonly)).rejects.toThrow(/readonly|READONLY|Cannot execute query in readonly mode/);
    const { rows } = await db.store.query<{ n: number }>('SELECT count() AS n FROM events');
    expect(Number(rows[0].n)).toBe(fixtureRows().length);
  });

  it('stops a query at the time limit, and the next query still reads its own result', async () => {
    const slow = 'SELECT count() AS n FROM numbers(100000000000) WHERE sipHash64(number) % 7 = 3';
    const error = await execute(db.store, slow, {}, { ...DEFAULT_LIMITS, maxExecutionSeconds: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toMatch(/longer than 1 s/);
    const { rows } = await db.store.query<{ n: number }>('SELECT count() AS n FROM events', {}, readonly);
    expect(rows).toEqual([{ n: fixtureRows().length }]);
  });

  it('stops a query at the memory limit', async () => {
    const hungry = 'SELECT groupArray(number) AS a FROM numbers(100000000)';
    const error = await execute(db.store, hungry, {}, { ...DEFAULT_LIMITS, maxMemoryBytes: 16 * 1024 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toMatch(/more than 16 MiB/);
  });

  it.each([
    [
      'nested too deep to parse',
      `SELECT * FROM ${'(SELECT * FROM '.repeat(120)}(SELECT 1 AS x)${')'.repeat(120)}`,
      /too large or deeply nested for the engine \(Maximum parse depth/,
    ],
    ['parenthesised too deep', `SELECT ${'('.repeat(400)}1${')'.repeat(400)} AS x`, /too large or deeply nested for the engine/],
    [
      'with an unknown Unicode class in a regex',
      "SELECT match(raw, '\\\\p{Foo}') AS m FROM events",
      /^invalid regular expression: invalid character class range: \\p\{Foo\} \(RE2 syntax\)$/,
    ],
  ])("refuses a query %s as the query's fault", async (_, sql, message) => {
    const error = await execute(db.store, sql, {}, DEFAULT_LIMITS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toMatch(message);
  });

  it('cuts the result at the row limit', async () => {
    const { rows } = await db.store.query('SELECT number FROM numbers(1000000)', {}, { ...readonly, maxResultRows: 10 });
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThan(1000000);
  });
});
