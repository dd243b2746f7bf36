import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startSidecarProcess, tempDir, type SidecarProcess } from './harness/processes';

/**
 * A sidecar restarted right after `kill -9` finds the old process still exiting with the store's
 * lock: it waits for it (store.lockWaitSeconds) instead of refusing to start.
 */
describe('starting while the store is still held by an exiting process', () => {
  const dataDir = tempDir('store-lock');
  let sidecar: SidecarProcess | undefined;

  afterAll(async () => {
    await sidecar?.stop();
    removeDir(dataDir);
  });

  it('waits for the holder to exit, says so in the log, then starts', async () => {
    const store = join(dataDir, 'chdb');
    mkdirSync(store, { recursive: true });
    // Holds the lock as a sidecar does (a node process whose pid is in the lock file) for 12 s: long
    // enough that even a slow start of the sidecar on a busy machine finds it held, well within the
    // 60 s the sidecar is told to wait.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('fs').writeFileSync(${JSON.stringify(join(store, 'lookback.lock'))}, String(process.pid)); console.log('held'); setTimeout(() => {}, 12000);`,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      }
    );
    await new Promise((resolve) => holder.stdout.once('data', resolve));

    sidecar = await startSidecarProcess({ endpoint: 'http://127.0.0.1:9', sources: [], dataDir, env: { LOOKBACK_STORE_LOCK_WAIT_SECONDS: '60' } });
    const waiting = sidecar.logs.find((l) => l.msg === `waiting for process ${holder.pid} to release the store`);
    expect(waiting).toMatchObject({ level: 40, pid: holder.pid, waitSeconds: 60 });
    expect((await sidecar.api('/api/health')).status).toBe(200);
  }, 120_000);
});
