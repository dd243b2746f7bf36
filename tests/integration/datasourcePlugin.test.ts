// What `npm run build` ships for the nested data source, read back from dist/ the way Grafana
// loads a plugin (npm test builds before it runs jest).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness/processes';

interface Route {
  path: string;
  method?: string;
  reqRole?: string;
  url: string;
  headers: Array<{ name: string; content: string }>;
}

interface PluginJson {
  type: string;
  id: string;
  name: string;
  backend?: boolean;
  alerting?: boolean;
  logs?: boolean;
  metrics?: boolean;
  annotations?: boolean;
  info: { version: string; updated: string; logos: { small: string; large: string } };
  routes?: Route[];
  includes?: Array<{ type: string; name: string; path?: string }>;
  dependencies: { grafanaDependency: string };
}

const DIST = join(ROOT, 'dist');
const built = (path: string) => {
  if (!existsSync(join(DIST, path))) {
    throw new Error(`dist/${path} is missing: run \`npm run build:plugin\` first (npm test does)`);
  }
  return readFileSync(join(DIST, path), 'utf8');
};

describe('the built plugin', () => {
  it('nests the data source in dist/datasource with its own plugin.json, module and logo', () => {
    const ds = JSON.parse(built('datasource/plugin.json')) as PluginJson;
    expect(ds).toMatchObject({ type: 'datasource', id: 'lookback-logs-datasource', logs: true, metrics: true, annotations: true });
    // A frontend-only data source: no backend, so no alerting.
    expect(ds.backend).toBeUndefined();
    expect(ds.alerting).toBeUndefined();
    expect(ds.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(ds.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(built(`datasource/${ds.info.logos.small}`)).toContain('<svg');
    expect(built('datasource/module.js')).toContain('lookback');
    expect(ds.dependencies.grafanaDependency).toMatch(/^>=\d+/);
  });

  it("injects the token from the data source's secureJsonData on read-only routes to the sidecar", () => {
    const ds = JSON.parse(built('datasource/plugin.json')) as PluginJson;
    const routes = ds.routes ?? [];
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET sidecar/api/backfills',
      'GET sidecar/api/fields',
      'GET sidecar/api/health',
      'GET sidecar/api/sources',
      'POST sidecar/api/histogram',
      'POST sidecar/api/query',
    ]);
    for (const route of routes) {
      expect(route.url).toBe(`{{ .JsonData.sidecarUrl }}${route.path.slice('sidecar'.length)}`);
      expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }]);
      expect(route.reqRole).toBe('Viewer');
    }
  });

  it('lists the data source, the pages and the dashboards in the app, and gates writes by role', () => {
    const app = JSON.parse(built('plugin.json')) as PluginJson;
    expect(app.type).toBe('app');
    expect(app.includes).toEqual(expect.arrayContaining([{ type: 'datasource', name: 'Lookback logs' }]));
    for (const dashboard of (app.includes ?? []).filter((i) => i.type === 'dashboard')) {
      expect(JSON.parse(built(dashboard.path!))).toHaveProperty('panels');
    }
    const routes = app.routes ?? [];
    // Grafana matches app routes as path patterns: the catch-all needs its `*`.
    expect(routes.find((r) => r.method === 'GET')).toMatchObject({ path: 'sidecar/*', reqRole: 'Editor', url: '{{ .JsonData.sidecarUrl }}' });
    expect(routes.filter((r) => r.path.startsWith('sidecar/api/sources')).map((r) => [r.method, r.reqRole])).toEqual([
      ['POST', 'Admin'],
      ['PUT', 'Admin'],
      ['DELETE', 'Admin'],
    ]);
    expect(routes.every((r) => r.headers[0].content === 'Bearer {{ .SecureJsonData.apiToken }}')).toBe(true);
  });
});
