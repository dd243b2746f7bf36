// `lookback serve` on the ClickHouse-server store (store.kind clickhouse), through the test
// ClickHouse server (tests/clickhouse/server.ts): one clear line when the server cannot be used,
// and exactly-once ingest through the real path when it can.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { publishObjectCreated } from '../../src/sidecar/emulator/notify';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { startTestClickHouse, type TestClickHouse } from '../clickhouse/start';
import { putObject, REGION } from './harness/bucket';
import { CLI, eventually, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess } from './harness/processes';

const USER = 'lookback';
const PASSWORD = 'integration-password';

function serve(env: Record<string, string>) {
  const dir = tempDir('chstore');
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dataDir: dir, listen: { port: 0 } }));
  const result = spawnSync(process.execPath, [CLI, 'serve', '--config', file], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  removeDir(dir);
  return { code: result.status, stderr: result.stderr.trim() };
}

const storeEnv = (url: string, password = PASSWORD) => ({
  LOOKBACK_STORE_KIND: 'clickhouse',
  LOOKBACK_STORE_URL: url,
  LOOKBACK_STORE_USERNAME: USER,
  LOOKBACK_STORE_PASSWORD: password,
});

describe('lookback serve on a ClickHouse server', () => {
  let clickhouse: TestClickHouse;
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    [clickhouse, emulator] = await Promise.all([startTestClickHouse({ users: { [USER]: PASSWORD } }), startEmulatorProcess()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([clickhouse?.stop(), emulator?.stop()]);
  });

  it('exits with one line naming the URL and the error when the server cannot be reached', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const { code, stderr } = serve(storeEnv(`http://127.0.0.1:${port}`));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `lookback serve: ClickHouse at http://127.0.0.1:${port}/ database default: cannot reach the server: connect ECONNREFUSED 127.0.0.1:${port}`
    );
  }, 60_000);

  it('exits with one line saying the password was refused', () => {
    const { code, stderr } = serve(storeEnv(clickhouse.url, 'wrong-password'));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `lookback serve: ClickHouse at ${clickhouse.url}/ database default: user "${USER}" was refused: ` +
        'Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED, code 516)'
    );
  }, 60_000);

  it('ingests every event exactly once, also when killed between insert and delete and restarted', async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'on-server', bucket: 'clickhouse-store-logs' });
    const dataDir = tempDir('chstore-crash');
    const end = Date.UTC(2026, 10, 1, 12);
    const [file] = cloudTrailFiles({ account: '210987654321', region: REGION, start: end - 3_600_000, end, files: 1, eventsPerFile: 400, seed: 16 });
    const env = storeEnv(clickhouse.url);
    const first = await startSidecarProcess({
      endpoint: emulator.endpoint,
      sources: [dev.source],
      dataDir,
      env: { ...env, LOOKBACK_FAILPOINTS: 'after-insert' },
    });
    expect(first.logs.find((l) => l.msg === 'sidecar started')).toMatchObject({ store: 'clickhouse', storeAt: `${clickhouse.url}/ database default` });
    const object = await putObject(emulator.endpoint, dev.source.bucket, file.key, JSON.stringify({ Records: file.records }));
    await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, object);
    expect(await first.exited).toBe(137);

    const second = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, env });
    try {
      const entry = await eventually(
        async () => {
          const { body } = await second.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${dev.source.id}`);
          return body.objects.find((o) => o.key === file.key);
        },
        'the redelivered message to be handled',
        60_000
      );
      expect(entry.events).toBe(400);
      const { body } = await second.api<CountResponse>(`/api/events/count?source=${dev.source.id}`);
      expect(body.count).toBe(400);
      // The events went to the server: every insert of them carried a token, and the repeat was dropped there.
      const inserts = (await clickhouse.requests()).filter((r) => /^INSERT INTO events /.test(r.statement));
      expect(inserts.length).toBeGreaterThanOrEqual(2);
      expect(inserts.every((r) => r.settings.insert_deduplication_token)).toBe(true);
    } finally {
      await second.stop();
      removeDir(dataDir);
    }
  }, 120_000);
});
