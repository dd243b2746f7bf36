import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Source } from '../src/shared/api';

const CLI = resolve(__dirname, '../../bin/lookback.js');

export interface BenchSidecar {
  proc: ChildProcess;
  /** The API's base URL; empty when the sidecar did not start. */
  url: string;
}

/**
 * `lookback serve` as a child process, as in production, on a new store in `dir`, its API on a free
 * port: its config names the emulator's `endpoint`, the sources and the `ingest` settings given.
 */
export async function spawnSidecar(opts: {
  dir: string;
  endpoint: string;
  region: string;
  token: string;
  sources: Source[];
  ingest: Record<string, unknown>;
  execArgv?: string[];
}): Promise<BenchSidecar> {
  const config = join(opts.dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      apiToken: opts.token,
      dataDir: join(opts.dir, 'sidecar'),
      aws: { endpoint: opts.endpoint, region: opts.region },
      ingest: { waitTimeSeconds: 1, ...opts.ingest },
      sources: opts.sources,
    })
  );
  const proc = spawn(process.execPath, [...(opts.execArgv ?? []), CLI, 'serve', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOOKBACK_LOG_LEVEL: 'info' },
  });
  const url = await waitForLine(proc, 'stderr', /"url":"(http:\/\/[^"]+)"/).catch(() => '');
  return { proc, url };
}

/** The first group of `pattern` once the process has written it on `stream`; rejects if the process exits first. */
export function waitForLine(proc: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let seen = '';
    proc[stream]!.on('data', (data: Buffer) => {
      seen += data.toString();
      const match = pattern.exec(seen);
      if (match) {
        resolveLine(match[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${seen.slice(-2000)}`)));
  });
}

/** Stops a process with SIGTERM and waits for it to exit (at once if it has). */
export function stop(proc: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      done();
      return;
    }
    proc.once('exit', () => done());
    proc.kill('SIGTERM');
  });
}
