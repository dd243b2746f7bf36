// TEST-ONLY (see server.ts): starts the test ClickHouse server in a child process.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { ChildOptions, Control } from './main';
import type { Fault, RequestRecord } from './server';

export interface TestServerOptions {
  users?: Record<string, string>;
  tls?: { certFile: string; keyFile: string };
  engineArgs?: string[];
}

export interface TestClickHouse {
  url: string;
  /** The engine's version, as `SELECT version()` answers. */
  version: string;
  pid: number;
  /** The next requests fail (connection reset before or after running them) or wait. */
  inject(...faults: Fault[]): Promise<void>;
  /** Everything the server received so far. */
  requests(): Promise<RequestRecord[]>;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export async function startTestClickHouse(options: TestServerOptions = {}): Promise<TestClickHouse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookback-chserver-data-'));
  const childOptions: ChildOptions = { dataDir, ...options };
  // Under jest or ts-node the sources are TypeScript; from dist-bench they are compiled.
  const typescript = extname(__filename) === '.ts';
  const child = fork(join(__dirname, `main${extname(__filename)}`), [JSON.stringify(childOptions)], {
    execArgv: typescript ? ['-r', 'ts-node/register/transpile-only'] : [],
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.tests.json'), TS_NODE_SWC: 'true' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; version: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the test ClickHouse server did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the test ClickHouse server exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: boolean; url: string; version: string }) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve(message);
      }
    });
  });
  let nextId = 1;
  const call = <T>(message: Control): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      const onMessage = (reply: { id?: number; result?: T }) => {
        if (reply.id === id) {
          child.off('message', onMessage);
          resolve(reply.result as T);
        }
      };
      child.on('message', onMessage);
      child.send({ ...message, id });
    });
  return {
    ...ready,
    pid: child.pid!,
    inject: (...faults) => call({ op: 'inject', faults }),
    requests: () => call({ op: 'requests' }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await call({ op: 'stop' }).catch(() => undefined);
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
