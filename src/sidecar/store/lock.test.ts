import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockHolder, StoreLockedError, waitForLock } from './lock';

/** A child process; resolves with it once it has printed its first line. */
function start(command: string, args: string[]): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout!.once('data', (data: Buffer) => resolve({ child, line: data.toString().trim() }));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

const statOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
const startTimeOf = (pid: number) => statOf(pid)[19];

describe('the store lock', () => {
  let dir: string;
  let lockFile: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookback-lock-'));
    lockFile = join(dir, 'lookback.lock');
  });

  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** A node process that holds the lock the way a sidecar of an older version wrote it (its pid only) for `ms`. */
  async function holder(ms: number): Promise<ChildProcess> {
    const { child } = await start(process.execPath, [
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(lockFile)}, String(process.pid)); console.log('held'); setTimeout(() => {}, ${ms});`,
    ]);
    children.push(child);
    return child;
  }

  it('waits for a process still holding the store to exit, says so once, then takes the lock', async () => {
    const child = await holder(1500);
    const waited: number[] = [];
    await waitForLock(lockFile, 30_000, (pid) => waited.push(pid));
    expect(waited).toEqual([child.pid]);
    await exited(child);
    expect(child.exitCode).toBe(0);
    expect(readFileSync(lockFile, 'utf8').split('\n')[0]).toBe(String(process.pid));
  });

  it('gives up after the wait, naming the process and the setting', async () => {
    const child = await holder(60_000);
    await expect(waitForLock(lockFile, 300, () => undefined)).rejects.toThrow(StoreLockedError);
    await expect(waitForLock(lockFile, 300, () => undefined)).rejects.toThrow(
      `store directory is in use by process ${child.pid} (${lockFile}); waited 0 s for it to exit (store.lockWaitSeconds)`
    );
  });

  it('does not wait for a pid that another process got since: another command, or another start time', async () => {
    const { child: other } = await start('sh', ['-c', 'echo started; exec sleep 60']);
    children.push(other);
    writeFileSync(lockFile, String(other.pid));
    expect(lockHolder(lockFile)).toBeUndefined();

    const node = await holder(60_000);
    expect(lockHolder(lockFile)).toBe(node.pid);
    writeFileSync(lockFile, `${node.pid}\n${Number(startTimeOf(node.pid!)) + 1}`);
    expect(lockHolder(lockFile)).toBeUndefined();
    writeFileSync(lockFile, `${node.pid}\n${startTimeOf(node.pid!)}`);
    expect(lockHolder(lockFile)).toBe(node.pid);
  });

  it('does not wait for a killed process that is not reaped yet (a zombie: its files are closed)', async () => {
    // `sleep 0` exits at once; its parent execs `sleep 60`, which never reaps it.
    const { child: parent, line } = await start('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60']);
    children.push(parent);
    const zombie = Number(line);
    for (let i = 0; i < 100 && statOf(zombie)[0] !== 'Z'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statOf(zombie)[0]).toBe('Z');
    writeFileSync(lockFile, `${zombie}\n${startTimeOf(zombie)}`);
    expect(lockHolder(lockFile)).toBeUndefined();
  });
});
