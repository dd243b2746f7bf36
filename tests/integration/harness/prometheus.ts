import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, removeDir, ROOT, tempDir } from './processes';

export interface PrometheusProcess {
  url: string;
  /** An instant query through the HTTP API: each series' labels and value. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The Prometheus binary scripts/ensure-prometheus.sh finds (or installs with apt-get). */
function prometheusBinary(): string {
  const result = spawnSync('sh', [join(ROOT, 'scripts', 'ensure-prometheus.sh')], { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    throw new Error(`scripts/ensure-prometheus.sh failed (${result.status}): ${result.stderr.trim()}`);
  }
  return result.stdout.trim().split('\n').pop()!;
}

/** A real Prometheus server scraping `target` (host:port) every 2 seconds, with the API token as a bearer credential. */
export async function startPrometheus(target: string, token: string): Promise<PrometheusProcess> {
  const binary = prometheusBinary();
  const dir = tempDir('prometheus');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 2s',
      '  scrape_timeout: 2s',
      'scrape_configs:',
      '  - job_name: lookback',
      '    metrics_path: /metrics',
      '    authorization:',
      '      type: Bearer',
      `      credentials_file: ${tokenFile}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n')
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    binary,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let output = '';
  proc.stderr!.on('data', (data: Buffer) => (output = (output + data.toString()).slice(-4000)));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise((resolve) => {
        proc.once('exit', resolve);
        proc.kill('SIGTERM');
      });
    }
    removeDir(dir);
  };
  try {
    await eventually(async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), `Prometheus ready at ${url}`, 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; its output:\n${output}`);
  }
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.status !== 'success') {
        throw new Error(`Prometheus query ${expr} failed: ${body.error}`);
      }
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}
