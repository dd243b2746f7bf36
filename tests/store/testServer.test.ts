// The test ClickHouse server (tests/clickhouse/server.ts) answers as ClickHouse's HTTP interface
// does, on the wire: checked here with plain HTTP, as the store tests rely on it.
import { startTestClickHouse, type TestClickHouse } from '../clickhouse/start';

jest.setTimeout(60_000);

const USER = 'lookback';
const PASSWORD = 'pw-1';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the test ClickHouse server', () => {
  let server: TestClickHouse;
  const post = (params: Record<string, string>, body: string | Buffer = '', headers: Record<string, string> = {}) =>
    fetch(`${server.url}/?${new URLSearchParams(params)}`, { method: 'POST', body, headers: { authorization: basic(USER, PASSWORD), ...headers } });

  beforeAll(async () => {
    server = await startTestClickHouse({ users: { [USER]: PASSWORD } });
  }, 120_000);
  afterAll(() => server?.stop());

  it('answers /ping, and queries in the URL or the body after any of the three logins', async () => {
    const ping = await fetch(`${server.url}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, 'Ok.\n']);
    const inBody = await post({}, 'SELECT 1 + 1');
    expect([inBody.status, await inBody.text(), inBody.headers.get('x-clickhouse-format')]).toEqual([200, '2\n', 'TabSeparated']);
    const headers = await fetch(`${server.url}/?query=${encodeURIComponent('SELECT currentDatabase()')}`, {
      headers: { 'x-clickhouse-user': USER, 'x-clickhouse-key': PASSWORD },
    });
    expect(await headers.text()).toBe('default\n');
    const urlLogin = await fetch(`${server.url}/?${new URLSearchParams({ user: USER, password: PASSWORD, query: 'SELECT 3 FORMAT JSONEachRow' })}`);
    expect([await urlLogin.text(), urlLogin.headers.get('content-type')]).toEqual(['{"3":3}\n', 'application/json; charset=UTF-8']);
  });

  it('refuses a wrong login as ClickHouse does: 403, code 516 and its message', async () => {
    const response = await post({}, 'SELECT 1', { authorization: basic(USER, 'wrong') });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-clickhouse-exception-code')).toBe('516');
    expect(await response.text()).toBe(
      `Code: 516. DB::Exception: ${USER}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version ${server.version})\n`
    );
  });

  it('maps engine errors to ClickHouse’s statuses and codes', async () => {
    const cases: Array<[Record<string, string>, string, number, string, RegExp]> = [
      [{}, 'SELEC 1', 400, '62', /^Code: 62\. DB::Exception: Syntax error: .* \(SYNTAX_ERROR\) \(version 26\./],
      [{}, 'SELECT * FROM nowhere', 404, '60', /\(UNKNOWN_TABLE\)/],
      [{ database: 'nowhere' }, 'SELECT 1', 404, '81', /\(UNKNOWN_DATABASE\)/],
      [{ max_execution_time: '1' }, 'SELECT sleep(2)', 408, '159', /Timeout exceeded.*\(TIMEOUT_EXCEEDED\)/],
      [{ readonly: '1' }, 'CREATE TABLE t (a UInt8) ENGINE = Memory', 500, '164', /Cannot execute query in readonly mode\. \(READONLY\)/],
      [{ param_big: 'x'.repeat(200_000) }, 'SELECT length({big:String})', 500, '1000', /Field value too long/],
    ];
    for (const [params, sql, status, code, message] of cases) {
      const response = await post(params, sql);
      expect([sql, response.status, response.headers.get('x-clickhouse-exception-code')]).toEqual([sql, status, code]);
      expect(await response.text()).toMatch(message);
    }
  });

  it('binds param_* values by their declared type, from the URL or a multipart body', async () => {
    const url = await post(
      { param_s: "it\\'s\\ta\\\\b", param_a: "['x\\'y','z']", param_n: '42' },
      'SELECT {s:String}, {a:Array(String)}, {n:UInt8} + 1 FORMAT JSONCompactEachRow'
    );
    expect(JSON.parse(await url.text())).toEqual(["it's\ta\\b", ["x'y", 'z'], 43]);
    const form = new FormData();
    form.append('query', 'SELECT {k:String} FORMAT JSONCompactEachRow');
    form.append('param_k', 'k'.repeat(10_000));
    const multipart = await fetch(`${server.url}/`, { method: 'POST', body: form, headers: { authorization: basic(USER, PASSWORD) } });
    expect(await multipart.text()).toBe(`["${'k'.repeat(10_000)}"]\n`);
  });

  it('inserts a body in the format the statement names, once per deduplication token', async () => {
    await post({}, 'CREATE TABLE IF NOT EXISTS t (a UInt32, s String) ENGINE = MergeTree ORDER BY a SETTINGS non_replicated_deduplication_window = 100');
    const insert = () => post({ query: 'INSERT INTO t (a, s) FORMAT JSONEachRow', insert_deduplication_token: 'tok-1' }, '{"a":1,"s":"x"}\n{"a":2,"s":"y"}\n');
    expect((await insert()).status).toBe(200);
    expect((await insert()).status).toBe(200);
    const rowBinary = Buffer.from([3, 0, 0, 0, 1, 0x7a]);
    expect((await post({ query: 'INSERT INTO t FORMAT RowBinary' }, rowBinary)).status).toBe(200);
    expect(await (await post({}, 'SELECT a, s FROM t ORDER BY a')).text()).toBe('1\tx\n2\ty\n3\tz\n');
  });

  it('compresses the answer when asked, and reports summary and query id', async () => {
    const response = await post({ enable_http_compression: '1', query_id: 'q-42' }, 'SELECT number FROM numbers(3)', { 'accept-encoding': 'gzip' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toBe('0\n1\n2\n');
    expect(response.headers.get('x-clickhouse-query-id')).toBe('q-42');
    expect(JSON.parse(response.headers.get('x-clickhouse-summary') ?? '{}')).toMatchObject({ read_rows: '3' });
  });
});
