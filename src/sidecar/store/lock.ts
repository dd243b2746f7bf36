import { readFileSync, writeFileSync } from 'node:fs';

export class StoreLockedError extends Error {}

const POLL_MS = 100;

interface ProcessInfo {
  /** Process state letter (`R`, `S`, `D`, `Z` for an exited process not yet reaped…). */
  state: string;
  /** Start time in clock ticks since boot: with the pid, it names one process for good. */
  startTime: string;
}

/** Linux only (/proc); undefined elsewhere or when the process is gone. */
function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTime: fields[19] };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What the lock file says: `<pid>` and, from this version on, `\n<start time>`. */
function readLock(lockFile: string): { pid: number; startTime?: string } | undefined {
  try {
    const [pid, startTime] = readFileSync(lockFile, 'utf8').trim().split('\n');
    return Number(pid) > 0 ? { pid: Number(pid), startTime: startTime || undefined } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The process holding the lock, if it still runs: not us, alive and not a zombie (killed, its
 * files already closed), and the same process that wrote the lock, not another one that got its
 * pid since (told by its start time, or for older lock files by its command line).
 */
export function lockHolder(lockFile: string): number | undefined {
  const lock = readLock(lockFile);
  if (!lock || lock.pid === process.pid || !signalable(lock.pid)) {
    return undefined;
  }
  const info = processInfo(lock.pid);
  if (info?.state === 'Z') {
    return undefined;
  }
  if (info && lock.startTime !== undefined && info.startTime !== lock.startTime) {
    return undefined;
  }
  const command = lock.startTime === undefined ? commandLine(lock.pid) : undefined;
  if (command !== undefined && !/node|lookback/.test(command)) {
    return undefined;
  }
  return lock.pid;
}

/** chDB must not be opened by two processes at once: a pid file guards the directory. */
export function takeLock(lockFile: string): void {
  const holder = lockHolder(lockFile);
  if (holder !== undefined) {
    throw new StoreLockedError(`store directory is in use by process ${holder} (${lockFile})`);
  }
  const startTime = processInfo(process.pid)?.startTime;
  writeFileSync(lockFile, startTime ? `${process.pid}\n${startTime}` : String(process.pid), { mode: 0o600 });
}

/**
 * Takes the lock, waiting up to `waitMs` for a holder to go away: a sidecar restarted right after
 * `kill -9` finds the old process still exiting. `waiting` hears the holder's pid once.
 */
export async function waitForLock(lockFile: string, waitMs: number, waiting: (pid: number) => void): Promise<void> {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (let holder = lockHolder(lockFile); holder !== undefined; holder = lockHolder(lockFile)) {
    if (Date.now() >= deadline) {
      throw new StoreLockedError(
        `store directory is in use by process ${holder} (${lockFile}); waited ${Math.round(waitMs / 1000)} s for it to exit (store.lockWaitSeconds)`
      );
    }
    if (!told) {
      told = true;
      waiting(holder);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  takeLock(lockFile);
}
