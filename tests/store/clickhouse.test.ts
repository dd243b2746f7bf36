// What only the ClickHouse-server store does: refuse clearly at connect, retry, stop queries on
// the server, time out, speak TLS. Against the test server (tests/clickhouse/server.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureRows } from '../../src/sidecar/query/testing';
import { checkServerVersion, ClickHouseStore, type ClickHouseOptions } from '../../src/sidecar/store/clickhouse';
import { ConfigError } from '../../src/sidecar/config/load';
import { StoreUnavailableError } from '../../src/sidecar/store/errors';
import { clickHouseOptions } from '../../src/sidecar/store/open';
import type { RequestRecord } from '../clickhouse/server';
import { startTestClickHouse } from '../clickhouse/start';
import { openServerTestStore, TEST_USER, type ServerStoreUnderTest } from './stores';

// Each file starts a test server (a child process with chDB); the machine may be busy.
jest.setTimeout(60_000);

async function until<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the ClickHouse-server store', () => {
  let db: ServerStoreUnderTest;
  const options = (extra: Partial<ClickHouseOptions> = {}): ClickHouseOptions => ({ ...db.options, ...extra });

  beforeAll(async () => {
    db = await openServerTestStore();
  }, 120_000);
  afterAll(() => db?.close());

  it('refuses a wrong password with ClickHouse’s own answer, naming the server and the user', async () => {
    const refused = ClickHouseStore.connect(options({ password: 'not-the-password' }));
    await expect(refused).rejects.toThrow(StoreUnavailableError);
    await expect(refused).rejects.toThrow(
      `ClickHouse at ${db.server.url}/ database default: user "lookback" was refused: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED, code 516)`
    );
  });

  it('says a server it cannot reach is unreachable, after retrying', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const started = Date.now();
    await expect(ClickHouseStore.connect(options({ url: closed }))).rejects.toThrow(
      new StoreUnavailableError(`ClickHouse at ${closed}/ database default: cannot reach the server: connect ECONNREFUSED ${closed.slice(7)}`)
    );
    // Four tries, 200, 400 and 800 ms apart (with jitter).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('says which database is missing and how to create it', async () => {
    await expect(ClickHouseStore.connect(options({ database: 'lookback_missing' }))).rejects.toThrow(
      'database "lookback_missing" does not exist: create it first (CREATE DATABASE lookback_missing)'
    );
  });

  it('refuses a server older than the schema needs', () => {
    expect(() => checkServerVersion('25.8.3.1')).toThrow("server version 25.8.3.1 is too old: Lookback's schema needs ClickHouse 26.2 or newer");
    expect(() => checkServerVersion('26.2.1.1')).not.toThrow();
    expect(() => checkServerVersion('27.1.1.1')).not.toThrow();
  });

  it('takes credentials from their own fields, never from the URL, and reads the TLS files it is given', () => {
    expect(() => clickHouseOptions({ kind: 'clickhouse', lockWaitSeconds: 10, url: 'https://lookback:secret@clickhouse:8443' })).toThrow(
      new ConfigError('invalid config: store.url: put the user and password in store.username and store.password, not in the URL')
    );
    expect(() =>
      clickHouseOptions({ kind: 'clickhouse', lockWaitSeconds: 10, url: 'https://clickhouse:8443', tls: { caFile: '/nonexistent/ca.pem' } })
    ).toThrow(new ConfigError('invalid config: store.tls.caFile: cannot read /nonexistent/ca.pem: ENOENT'));
    expect(clickHouseOptions({ kind: 'clickhouse', lockWaitSeconds: 10, url: 'https://clickhouse:8443' })).toEqual({
      url: 'https://clickhouse:8443',
      username: 'default',
      password: '',
      database: 'default',
      requestTimeoutSeconds: 120,
    });
  });

  it('retries a request whose connection was reset, and gives up after four tries', async () => {
    await db.server.inject({ kind: 'reset-before' }, { kind: 'reset-before' });
    expect((await db.store.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.server.inject(...Array.from({ length: 4 }, () => ({ kind: 'reset-before' as const })));
    await expect(db.store.query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('stores a chunk once when the answer to its insert is lost and the insert is sent again', async () => {
    const rows = fixtureRows()
      .slice(0, 5)
      .map((r, i) => ({ ...r, key: 'lost-answer/object.json', record_index: i }));
    await db.server.inject({ kind: 'reset-after' });
    await db.store.insertEvents(rows, 'lost-answer-token');
    const inserts = (await db.server.requests()).filter((r) => r.settings.insert_deduplication_token === 'lost-answer-token');
    expect(inserts.map((r) => r.statement)).toEqual([
      expect.stringMatching(/^INSERT INTO events \(time, .*\) FORMAT RowBinary$/),
      expect.stringMatching(/FORMAT RowBinary$/),
    ]);
    const { rows: counted } = await db.store.query<{ n: number }>("SELECT count() AS n FROM events WHERE key = 'lost-answer/object.json'");
    expect(Number(counted[0].n)).toBe(5);
  });

  it('stops a query on the server when its signal aborts: the connection closes and KILL QUERY names it', async () => {
    const controller = new AbortController();
    const slow = db.store.query('SELECT sleepEachRow(0.25) FROM numbers(10)', {}, { readonly: true, signal: controller.signal, queryId: 'slow-query-1' });
    const running = await until(async () => (await db.server.requests()).find((r) => r.queryId === 'slow-query-1'), 'the slow query to reach the server');
    expect(running.settings).toMatchObject({ readonly: '1', cancel_http_readonly_queries_on_client_close: '1' });
    controller.abort();
    await expect(slow).rejects.toThrow('The user aborted a request.');
    const kill = await until(async () => (await db.server.requests()).find((r) => r.kind === 'kill'), 'KILL QUERY');
    expect(kill.statement).toBe('KILL QUERY WHERE query_id = {id:String} ASYNC');
    const records = await db.server.requests();
    expect(records.find((r: RequestRecord) => r.queryId === 'slow-query-1')?.cancelled).toBe(true);
    // chDB cannot interrupt the statement: the next request waits until it is over.
    expect((await db.store.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('gives up on a server that does not answer within the request timeout', async () => {
    const impatient = await ClickHouseStore.connect(options({ requestTimeoutSeconds: 1 }));
    try {
      await db.server.inject({ kind: 'delay', ms: 3000 });
      await expect(impatient.query('SELECT 1')).rejects.toThrow('no answer from ClickHouse within 1 s (store.requestTimeoutSeconds)');
    } finally {
      await impatient.close();
    }
  });

  it('sends the chunk to the shards before answering when the tables are on a cluster', async () => {
    const clustered = await ClickHouseStore.connect(options({ cluster: 'lookback' }));
    try {
      await clustered.insertEvents(fixtureRows().slice(0, 1), 'cluster-token');
      const insert = (await db.server.requests()).find((r) => r.settings.insert_deduplication_token === 'cluster-token');
      expect(insert?.settings).toEqual({
        insert_deduplication_token: 'cluster-token',
        max_partitions_per_insert_block: '0',
        distributed_foreground_insert: '1',
      });
    } finally {
      await clustered.close();
    }
  });
});

describe('the ClickHouse-server store over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {
      stdio: 'ignore',
    }
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('talks to a server whose certificate the configured CA signed, and refuses one it cannot verify', async () => {
    const server = await startTestClickHouse({ users: { [TEST_USER.username]: TEST_USER.password }, tls: { certFile: cert, keyFile: key } });
    try {
      expect(server.url).toMatch(/^https:/);
      const base = { url: server.url, ...TEST_USER, database: 'default', requestTimeoutSeconds: 30 };
      const store = await ClickHouseStore.connect({ ...base, tls: { ca: readFileSync(cert) } });
      expect(await store.version()).toBe(server.version);
      await store.close();
      await expect(ClickHouseStore.connect(base)).rejects.toThrow(
        `ClickHouse at ${server.url}/ database default: cannot reach the server: self-signed certificate`
      );
    } finally {
      await server.stop();
    }
  }, 120_000);
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
