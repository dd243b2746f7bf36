import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Source } from '../../../src/shared/api';
import { spawnEmulator, type EmulatorProcess } from '../../../src/sidecar/emulator/emulatorProcess';

export const ROOT = join(__dirname, '..', '..', '..');
export const CLI = join(ROOT, 'bin', 'lookback.js');

function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist-sidecar', 'sidecar', 'cli', 'main.js'))) {
    throw new Error('integration tests run the built sidecar: run `npm run build:sidecar` first (npm test does)');
  }
}

/** Resolves with the first output line that matches, or rejects when the process exits first. */
function waitForLine(proc: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} on ${stream}; got:\n${buffered}`)), timeoutMs);
    const onData = (data: Buffer) => {
      buffered += data.toString();
      const match = pattern.exec(buffered);
      if (match) {
        clearTimeout(timer);
        proc[stream]!.off('data', onData);
        resolve(match);
      }
    };
    proc[stream]!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before printing ${pattern}; output:\n${buffered}`));
    });
  });
}

export type { EmulatorProcess };

/** `lookback emulator --port 0` as a child process. */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  assertBuilt();
  return spawnEmulator(0);
}

export interface SidecarProcess {
  url: string;
  token: string;
  dataDir: string;
  proc: ChildProcess;
  /** Everything the sidecar logged, as parsed JSON lines. */
  logs: Array<Record<string, unknown>>;
  api<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface SidecarOptions {
  endpoint: string;
  sources: Source[];
  dataDir?: string;
  env?: Record<string, string>;
  /** The config's `aws` section; default: the emulator's endpoint in us-east-1. */
  aws?: Record<string, unknown>;
  /** More of the config's `ingest` section. */
  ingest?: Record<string, unknown>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `lookback-${prefix}-`));
}

export const TEST_TOKEN = 'integration-test-token-0123456789';

/** `lookback serve` as a child process with a config file, on a free port. */
export async function startSidecarProcess(opts: SidecarOptions): Promise<SidecarProcess> {
  assertBuilt();
  const dataDir = opts.dataDir ?? tempDir('sidecar');
  const configFile = join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      apiToken: TEST_TOKEN,
      dataDir,
      aws: opts.aws ?? { endpoint: opts.endpoint, region: 'us-east-1' },
      ingest: { waitTimeSeconds: 1, visibilityTimeoutSeconds: 10, shutdownGraceSeconds: 5, ...opts.ingest },
      sources: opts.sources,
    })
  );
  const proc = spawn(process.execPath, [CLI, 'serve', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOOKBACK_LOG_LEVEL: 'info', ...opts.env },
  });
  const logs: Array<Record<string, unknown>> = [];
  let partial = '';
  proc.stderr!.on('data', (data: Buffer) => {
    const lines = (partial + data.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line (a Node warning)
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code, signal) => resolve(signal ? 128 + 9 : code)));
  const [, url] = await waitForLine(proc, 'stderr', /"url":"(http:\/\/[^"]+)"/);
  return {
    url,
    token: TEST_TOKEN,
    dataDir,
    proc,
    logs,
    exited,
    async api<T>(path: string, init: RequestInit = {}) {
      const response = await fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopProcess(proc, signal),
  };
}

function stopProcess(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve(proc.exitCode);
  }
  return new Promise((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.kill(signal);
  });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Whether a process of this id is running (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Messages waiting and in flight on the sidecar's queues, read from its health endpoint. */
export async function queueDepth(sidecar: SidecarProcess): Promise<number> {
  const { body } = await sidecar.api<{ queues: Array<{ detail?: string }> }>('/api/health');
  return body.queues.reduce((sum, q) => {
    const m = /(\d+) waiting, (\d+) in flight/.exec(q.detail ?? '');
    return sum + (m ? Number(m[1]) + Number(m[2]) : 0);
  }, 0);
}
