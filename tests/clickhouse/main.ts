// TEST-ONLY (see server.ts): the test ClickHouse server as a child process of a test or benchmark
// (chDB opens one data directory per process, and the test process has its own). start.ts forks
// it and talks to it over IPC: `ready` with the URL, then control messages.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Session } from 'chdb';
import { ClickHouseTestServer, type Fault } from './server';

export interface ChildOptions {
  dataDir: string;
  users?: Record<string, string>;
  tls?: { certFile: string; keyFile: string };
  /** Extra `clickhouse local` arguments for chDB, e.g. `--config-file=` with a cluster definition. */
  engineArgs?: string[];
}

/** chDB changes these from ClickHouse's defaults (system.settings WHERE changed); a server keeps them. */
const SERVER_DEFAULTS = ['--implicit_select=0', '--allow_introspection_functions=0'];

export type Control = { op: 'inject'; faults: Fault[] } | { op: 'requests' } | { op: 'stop' };
export type ControlMessage = Control & { id: number };

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]) as ChildOptions;
  const session = new Session(options.dataDir, { connectionArgs: [...SERVER_DEFAULTS, ...(options.engineArgs ?? [])] });
  const version = (await session.queryAsync('SELECT version()', { format: 'TabSeparated' })).text().trim();
  const tls = options.tls && { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) };
  const server = new ClickHouseTestServer(session, version, { users: options.users, tls });
  await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const stop = () => {
    server.close();
    session.close();
    process.exit(0);
  };
  process.on('disconnect', stop);
  process.on('message', (message: ControlMessage) => {
    switch (message.op) {
      case 'inject':
        server.inject(message.faults);
        process.send?.({ id: message.id });
        break;
      case 'requests':
        process.send?.({ id: message.id, result: server.requests });
        break;
      case 'stop':
        process.send?.({ id: message.id }, stop);
        break;
    }
  });
  process.send?.({ ready: true, url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`, version });
}

main().catch((err) => {
  process.stderr.write(`test ClickHouse server: ${(err as Error).stack}\n`);
  process.exit(1);
});
