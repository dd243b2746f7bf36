import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detection } from '../../../shared/detections';

/** What a test receiver got: each request's path, headers and JSON body. */
export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A local HTTP receiver for notifications, answering each request with the status `answer` gives. */
export class TestReceiver {
  readonly requests: Received[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string
  ) {}

  static async start(answer: (request: Received, n: number) => number = () => 200): Promise<TestReceiver> {
    let receiver: TestReceiver | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const received: Received = { path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined };
        receiver?.requests.push(received);
        const status = answer(received, receiver?.requests.length ?? 0);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `no: status ${status}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = new TestReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return receiver;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A detection as the writer hands it to the notifier. */
export function testDetection(fingerprint: string, fields: Partial<Detection> = {}): Detection {
  return {
    fingerprint,
    ruleId: 'lookback.aws.cloudtrail.root-console-login',
    ruleVersion: 'v1',
    title: 'Root user signs in to the console',
    severity: 'high',
    tags: ['attack.t1078.004'],
    keys: { sourceIPAddress: '198.51.100.7' },
    window: { from: '2026-01-10T11:00:00.000Z', to: '2026-01-10T12:00:00.000Z' },
    count: 2,
    events: 2,
    firstSeen: '2026-01-10T11:10:00.000Z',
    lastSeen: '2026-01-10T11:20:00.000Z',
    detectedAt: '2026-01-10T11:21:00.000Z',
    status: 'open',
    statusBy: '',
    statusAt: null,
    note: '',
    explore: {
      query: 'CloudTrail\n| where eventName == "ConsoleLogin"\n| where tostring(sourceIPAddress) == "198.51.100.7"',
      from: '2026-01-10T11:10:00.000Z',
      to: '2026-01-10T11:20:00.001Z',
    },
    ...fields,
  };
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  generatorURL?: string;
  status: { state: string };
}

/** A real Prometheus Alertmanager (Debian's prometheus-alertmanager), on a free port of 127.0.0.1 with its own storage. */
export class TestAlertmanager {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly dir: string,
    readonly url: string
  ) {}

  /** Installs Alertmanager when it is missing (scripts/ensure-alertmanager.sh), starts it, and waits until it is ready. */
  static async start(): Promise<TestAlertmanager> {
    const script = join(__dirname, '..', '..', '..', '..', 'scripts', 'ensure-alertmanager.sh');
    const binary =
      execFileSync('sh', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
        .trim()
        .split('\n')
        .pop() ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'lookback-alertmanager-'));
    const config = join(dir, 'alertmanager.yml');
    // Alerts are kept and answered on the API; nothing is sent on from here.
    writeFileSync(config, 'route:\n  receiver: keep\nreceivers:\n  - name: keep\n');
    const port = await freePort();
    const proc = spawn(
      binary,
      [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    );
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const am = new TestAlertmanager(proc, dir, `http://127.0.0.1:${port}`);
    const end = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`${am.url}/-/ready`).then(
        (r) => r.ok,
        () => false
      );
      if (ready) {
        return am;
      }
      if (proc.exitCode !== null || Date.now() > end) {
        await am.stop();
        throw new Error(`Alertmanager did not start: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The alerts Alertmanager holds (its v2 API). */
  async alerts(): Promise<AlertmanagerAlert[]> {
    const response = await fetch(`${this.url}/api/v2/alerts`);
    return (await response.json()) as AlertmanagerAlert[];
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((resolve) => this.proc.once('exit', resolve));
      this.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
