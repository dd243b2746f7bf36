import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_PATH } from '../packageRoot';
import type { RunningEmulator } from './emulator';

const READY_TIMEOUT_MS = 30_000;
/** What `lookback emulator` prints once it listens (cli/emulator.ts). */
const READY_LINE = /listening on (http:\/\/\S+)/;

export interface EmulatorProcess extends RunningEmulator {
  pid: number;
}

/**
 * `lookback emulator` in a child process, so that the bucket and queues it holds in memory, and
 * the work of serving them, are not the caller's. The child stops with `stop()`, and on its own
 * when the caller goes (its IPC channel closes).
 */
export async function spawnEmulator(port: number): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'emulator', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await readyLine(child);
  // Nothing else is read from the child (its output must not fill the pipe), and the channel is
  // there for the child to see this process go: it must not keep this process alive.
  child.stdout!.resume();
  child.channel?.unref();
  return {
    endpoint,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}

function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start within ${READY_TIMEOUT_MS / 1000} s:\n${seen}`));
    }, READY_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (code ${code}) before listening:\n${seen}`));
    };
    child.once('exit', onExit);
    child.stdout!.on('data', function onData(data: Buffer) {
      seen += data.toString();
      const match = READY_LINE.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout!.off('data', onData);
        resolve(match[1]);
      }
    });
  });
}
