import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startSidecarProcess, tempDir, type SidecarProcess } from '../integration/harness/processes';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every path under `dir` whose group or others have any permission, but the test's own config file. */
function openToOthers(dir: string): string[] {
  const open: string[] = [];
  const walk = (path: string) => {
    if (modeOf(path) & 0o077 && path !== join(dir, 'config.json')) {
      open.push(`${path} 0${modeOf(path).toString(8)}`);
    }
    if (statSync(path).isDirectory()) {
      readdirSync(path).forEach((name) => walk(join(path, name)));
    }
  };
  walk(dir);
  return open;
}

/** The store holds every log line: a sidecar started under umask 022 keeps it to its own user. */
describe('the data directory and the store files are owner-only', () => {
  const dataDir = tempDir('permissions');
  let sidecar: SidecarProcess | undefined;

  afterAll(async () => {
    await sidecar?.stop();
    removeDir(dataDir);
  });

  it('tightens a world-readable data directory at start, says so, and creates the store owner-only', async () => {
    chmodSync(dataDir, 0o755);
    sidecar = await startSidecarProcess({ endpoint: 'http://127.0.0.1:9', sources: [], dataDir });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(sidecar.logs.find((l) => l.path === dataDir)).toMatchObject({ level: 40, was: '0755', now: '0700' });
    expect(readdirSync(join(dataDir, 'chdb')).length).toBeGreaterThan(0);
    expect(openToOthers(dataDir)).toEqual([]);
  }, 60_000);
});
