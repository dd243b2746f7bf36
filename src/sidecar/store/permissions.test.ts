import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainPending } from 'chdb';
import pino from 'pino';
import { resolveApiToken } from '../api/auth';
import { loadConfig } from '../config/load';
import { ChdbStore } from './chdb';
import { restrictToOwner } from './permissions';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every path under `dir` whose group or others have any permission. */
function openToOthers(dir: string): string[] {
  const open: string[] = [];
  const walk = (path: string) => {
    if (modeOf(path) & 0o077) {
      open.push(`${path} 0${modeOf(path).toString(8)}`);
    }
    if (statSync(path).isDirectory()) {
      readdirSync(path).forEach((name) => walk(join(path, name)));
    }
  };
  walk(dir);
  return open;
}

describe("the data directory is the sidecar user's alone", () => {
  let root: string;
  let umask: number;
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });

  beforeEach(() => {
    umask = process.umask(0o022);
    root = mkdtempSync(join(tmpdir(), 'lookback-perms-'));
    lines.length = 0;
  });

  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it("creates the data directory 0700, and the store's and token's files owner-only", async () => {
    const config = loadConfig(undefined, { LOOKBACK_DATA_DIR: join(root, 'data') });
    restrictToOwner(config, log);
    expect(modeOf(config.dataDir)).toBe(0o700);
    const store = new ChdbStore(join(config.dataDir, 'chdb'));
    await store.migrate();
    await store.close();
    await drainPending();
    resolveApiToken(undefined, config.dataDir);
    expect(modeOf(join(config.dataDir, 'api-token'))).toBe(0o600);
    expect(readdirSync(join(config.dataDir, 'chdb')).length).toBeGreaterThan(0);
    expect(openToOthers(config.dataDir)).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('tightens an existing data directory, store directory and token file, and says so', () => {
    const dataDir = join(root, 'data');
    const storeDir = join(root, 'elsewhere', 'chdb');
    mkdirSync(dataDir, { mode: 0o755 });
    mkdirSync(storeDir, { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, 'api-token'), 'secret-token\n', { mode: 0o644 });
    chmodSync(dataDir, 0o755);
    restrictToOwner(loadConfig(undefined, { LOOKBACK_DATA_DIR: dataDir, LOOKBACK_STORE_PATH: storeDir }), log);
    expect([modeOf(dataDir), modeOf(storeDir), modeOf(join(dataDir, 'api-token'))]).toEqual([0o700, 0o700, 0o600]);
    expect(lines.map((l) => [l.msg, l.path, l.was, l.now])).toEqual([
      ["tightened permissions: only the sidecar's user may read its data", dataDir, '0755', '0700'],
      ["tightened permissions: only the sidecar's user may read its data", storeDir, '0755', '0700'],
      ["tightened permissions: only the sidecar's user may read its data", join(dataDir, 'api-token'), '0644', '0600'],
    ]);
  });
});
