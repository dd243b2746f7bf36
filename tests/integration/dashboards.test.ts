// The bundled dashboards against a real sidecar: every query they hold compiles and runs on
// generated CloudTrail, ALB and VPC flow logs (with the generator's SSRF incident), backfilled
// from the emulator; and the dashboards are wired to the data source the way Grafana needs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backfill } from '../../src/shared/backfill';
import type { QueryResponse } from '../../src/shared/query';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { CLI, ROOT, eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

interface Target {
  refId: string;
  datasource: { type: string; uid: string };
  query: string;
  format: string;
  status?: string;
}

interface Panel {
  id: number;
  title: string;
  type: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Target[];
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  annotations: { list: Array<{ name: string; datasource: { type: string; uid: string }; target?: Target }> };
  templating: { list: Array<{ name: string; type: string; query?: string; datasource?: { type: string; uid: string } }> };
}

const DASHBOARDS = join(ROOT, 'src', 'dashboards');
const dashboards: Array<[string, Dashboard]> = readdirSync(DASHBOARDS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard]);
const appPlugin = JSON.parse(readFileSync(join(ROOT, 'src', 'plugin.json'), 'utf8')) as {
  includes: Array<{ type: string; path?: string; uid?: string; name: string }>;
};
const dsPlugin = JSON.parse(readFileSync(join(ROOT, 'src', 'datasource', 'plugin.json'), 'utf8')) as { id: string };

/** Every query of a dashboard: panels' targets and annotations'. */
function targets(dashboard: Dashboard): Array<{ where: string; target: Target }> {
  return [
    ...dashboard.panels.flatMap((p) => p.targets.map((target) => ({ where: `${dashboard.title} / ${p.title}`, target }))),
    ...dashboard.annotations.list.filter((a) => a.target).map((a) => ({ where: `${dashboard.title} / annotation ${a.name}`, target: a.target! })),
  ];
}

describe('the bundled dashboards', () => {
  it('are included by the app and use the data source through the ${ds} variable', () => {
    expect(dashboards.map(([file]) => file).sort()).toEqual([
      'cloudtrail-investigation.json',
      'detections.json',
      'load-balancer-traffic.json',
      'lookback-health.json',
      'vpc-flow.json',
    ]);
    const included = appPlugin.includes.filter((i) => i.type === 'dashboard');
    expect(included.map((i) => i.path).sort()).toEqual(dashboards.map(([file]) => `dashboards/${file}`).sort());
    for (const [file, d] of dashboards) {
      expect(included.find((i) => i.path === `dashboards/${file}`)?.uid).toBe(d.uid);
      expect(d.templating.list[0]).toMatchObject({ name: 'ds', type: 'datasource', query: dsPlugin.id });
      expect(d.templating.list.find((v) => v.type === 'adhoc')?.datasource).toEqual({ type: dsPlugin.id, uid: '${ds}' });
      expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.datasource).toEqual({ type: dsPlugin.id, uid: '${ds}' });
        expect(p.gridPos.w).toBeGreaterThan(0);
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      }
      for (const { target } of targets(d)) {
        expect(target.datasource).toEqual({ type: dsPlugin.id, uid: '${ds}' });
        expect(['logs', 'table', 'timeseries']).toContain(target.format);
        expect(Boolean(target.query) !== Boolean(target.status)).toBe(true);
      }
    }
  });

  describe('against a sidecar with generated logs', () => {
    const HOUR = 3_600_000;
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const from = new Date(end - 24 * HOUR).toISOString();
    const to = new Date(end).toISOString();
    let emulator: EmulatorProcess;
    let sidecar: SidecarProcess;

    beforeAll(async () => {
      emulator = await startEmulatorProcess();
      const sources = [];
      for (const type of ['cloudtrail', 'alb', 'vpcflow'] as const) {
        const dev = await createDevSource({ endpoint: emulator.endpoint, id: type, bucket: `dashboards-${type}`, logType: type });
        const generated = spawnSync(
          process.execPath,
          [
            CLI,
            'generate',
            '--bucket',
            dev.source.bucket,
            '--endpoint',
            emulator.endpoint,
            '--types',
            type,
            '--days',
            '1',
            '--end',
            to,
            '--events',
            '3000',
            '--file-minutes',
            '120',
            '--accounts',
            '1',
            '--regions',
            'us-east-1',
          ],
          { encoding: 'utf8', timeout: 60_000 }
        );
        expect(generated.stderr).toBe('');
        sources.push(dev.source);
      }
      // Short polls: the consumer does not wait on empty live queues between backfill objects.
      sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources, env: { LOOKBACK_WAIT_TIME_SECONDS: '0' } });
      const ids: string[] = [];
      for (const source of sources) {
        const started = await sidecar.api<Backfill>('/api/backfills', { method: 'POST', body: JSON.stringify({ sourceId: source.id, from, to }) });
        expect(started.status).toBe(201);
        ids.push(started.body.id);
      }
      await eventually(
        async () => {
          const { body } = await sidecar.api<{ backfills: Backfill[] }>('/api/backfills');
          return body.backfills.filter((b) => ids.includes(b.id)).every((b) => b.state === 'done') ? true : undefined;
        },
        'the backfills done',
        90_000
      );
    }, 120_000);

    afterAll(async () => {
      await sidecar?.stop();
      await emulator?.stop();
      if (sidecar) {
        removeDir(sidecar.dataDir);
      }
    });

    const run = (query: string) =>
      sidecar.api<QueryResponse & { message?: string }>('/api/query', {
        method: 'POST',
        body: JSON.stringify({ query, from, to, interval: '1h', maxRows: 1000 }),
      });

    it.each(dashboards.flatMap(([, d]) => targets(d)).map((t) => [t.where, t.target] as const))('%s compiles and runs', async (_where, target) => {
      if (target.status) {
        const { status } = await sidecar.api(`/api/${target.status}`);
        expect(status).toBe(200);
        return;
      }
      const response = await run(target.query);
      expect({ status: response.status, message: response.body.message }).toEqual({ status: 200, message: undefined });
      expect(response.body.columns.length).toBeGreaterThan(0);
    });

    it('find the planted incident: the SSRF to 169.254.169.254, the stolen role, the egress', async () => {
      const find = (title: string) => dashboards.flatMap(([, d]) => d.panels).find((p) => p.title === title)!.targets[0].query;
      const ssrf = await run(find('Suspicious requests'));
      expect(ssrf.body.rows.length).toBeGreaterThan(0);
      const rawIndex = ssrf.body.columns.findIndex((c) => c.name === 'raw');
      expect(ssrf.body.rows.some((row) => String(row[rawIndex]).includes('169.254.169.254'))).toBe(true);

      const actors = await run(find('Top actors'));
      expect(actors.body.rows.length).toBeGreaterThan(3);
      const egress = await run(find('Egress to rare destinations'));
      expect(egress.body.rows.length).toBeGreaterThan(0);
      const logins = await run(find('Console logins'));
      expect(logins.body.rows.length).toBeGreaterThan(0);
    });
  });
});
