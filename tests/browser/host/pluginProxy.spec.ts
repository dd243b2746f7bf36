import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OrgRole, PluginRoute } from './bootData';
import { cleanPath, escapeGoPath, joinUrlFragments } from './goPaths';
import {
  ACCESS_DENIED,
  DATA_SOURCE_AUTH_FAILED,
  forwardThroughRoute,
  matchAppRoute,
  matchDataSourceRoute,
  roleIncludes,
  type ForwardLog,
  type RouteMatch,
} from './pluginProxy';
import { renderRouteTemplate, RouteTemplateError } from './routeTemplate';

const route = (path: string, method?: string, url = 'http://sidecar', reqRole?: string): PluginRoute => ({ path, method, url, reqRole });

describe("the host's plugin proxies match routes as Grafana does", () => {
  const appRoutes = [route('sidecar/api/backfills', 'POST'), route('sidecar/api/backfills/*', 'POST'), route('sidecar/*', 'GET')];

  it('app proxy: a literal route matches only its whole path and forwards nothing more', () => {
    expect(matchAppRoute(appRoutes, 'sidecar/api/backfills', 'POST')).toEqual({ route: appRoutes[0], rest: '', escapeAgain: true });
    expect(matchAppRoute(appRoutes, 'sidecar/api/backfills/b-1/cancel', 'POST')).toEqual({ route: appRoutes[1], rest: 'b-1/cancel', escapeAgain: true });
    expect(matchAppRoute(appRoutes, 'sidecar/api/sources', 'POST')).toBeUndefined();
  });

  it('app proxy: `*` takes the rest of the path; methods compare exactly', () => {
    expect(matchAppRoute(appRoutes, 'sidecar/api/health', 'GET')).toMatchObject({ route: appRoutes[2], rest: 'api/health' });
    expect(matchAppRoute(appRoutes, 'sidecar/api/health', 'DELETE')).toBeUndefined();
    expect(matchAppRoute([route('sidecar', 'GET,POST')], 'sidecar', 'GET')).toBeUndefined();
    expect(matchAppRoute([route('sidecar')], 'sidecar', 'DELETE')).toMatchObject({ route: route('sidecar'), rest: '' });
  });

  it('app proxy: matches the path cleaned as Go cleans it (path.Join)', () => {
    expect(matchAppRoute(appRoutes, 'other/../sidecar//api/health/', 'GET')).toMatchObject({ route: appRoutes[2], rest: 'api/health' });
    expect(matchAppRoute(appRoutes, 'sidecar/api/fields/a%20b%2Fc/values', 'GET')).toMatchObject({ rest: 'api/fields/a%20b%2Fc/values' });
  });

  it('data source proxy: a route matches as a prefix and forwards the rest as it came', () => {
    const routes = [route('sidecar/api/query', 'POST'), route('sidecar', 'GET')];
    expect(matchDataSourceRoute(routes, 'sidecar/api/query', 'POST')).toEqual({ route: routes[0], rest: '', escapeAgain: false });
    expect(matchDataSourceRoute(routes, 'sidecar/api/fields/actor/values', 'GET')).toMatchObject({ route: routes[1], rest: '/api/fields/actor/values' });
    expect(matchDataSourceRoute(routes, 'sidecar/api/query', 'GET')).toMatchObject({ route: routes[1], rest: '/api/query' });
    expect(matchDataSourceRoute(routes, 'sidecar/api/fields/a%20b%2Fc/values', 'GET')).toMatchObject({ rest: '/api/fields/a%20b%2Fc/values' });
    expect(matchDataSourceRoute(routes, 'other', 'GET')).toBeUndefined();
  });

  it('checks the org role against reqRole as org.RoleType.Includes does', () => {
    expect(roleIncludes('Admin', 'Editor')).toBe(true);
    expect(roleIncludes('Editor', 'Editor')).toBe(true);
    expect(roleIncludes('Editor', 'Admin')).toBe(false);
    expect(roleIncludes('Viewer', 'Editor')).toBe(false);
    expect(roleIncludes('Viewer', undefined)).toBe(true);
  });

  it('renders route templates like Go templates over the settings', () => {
    const data = { JsonData: { sidecarUrl: 'http://lookback:8089' }, SecureJsonData: { apiToken: 's3cret' } };
    expect(renderRouteTemplate('{{ .JsonData.sidecarUrl }}/api', data)).toBe('http://lookback:8089/api');
    expect(renderRouteTemplate('Bearer {{ .SecureJsonData.apiToken }}', data)).toBe('Bearer s3cret');
    expect(renderRouteTemplate('{{ .JsonData.missing }}', data)).toBe('<no value>');
    expect(renderRouteTemplate('Bearer {{ .SecureJsonData.missing }}', data)).toBe('Bearer ');
    expect(() => renderRouteTemplate('{{ .URL }}', data)).toThrow(RouteTemplateError);
  });

  it("builds paths with Go's functions", () => {
    expect(cleanPath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(cleanPath('/../a')).toBe('/a');
    expect(joinUrlFragments('/api/fields', '/a/values')).toBe('/api/fields/a/values');
    expect(joinUrlFragments('', 'api/health')).toBe('/api/health');
    expect(joinUrlFragments('//api/query', '')).toBe('//api/query');
    expect(escapeGoPath('/api/fields/a%20b%2Fc/é')).toBe('/api/fields/a%2520b%252Fc/%C3%A9');
  });
});

interface Upstream {
  server: Server;
  url: string;
  seen: string[];
  answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void;
}

async function listen(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("the host's plugin proxies forward as Grafana does", () => {
  let upstream: Upstream;
  let proxy: { server: Server; url: string };
  let next: { match: RouteMatch; role: OrgRole; dataSource?: { timeoutMs: number } };
  const log: ForwardLog = {};

  beforeAll(async () => {
    const seen: string[] = [];
    const up = await listen((req, res) => upstream.answer(req, res));
    upstream = { ...up, seen, answer: (req, res) => (seen.push(req.url ?? ''), res.end('{"ok":true}')) };
    proxy = await listen((req, res) => {
      const settings = { JsonData: { sidecarUrl: upstream.url }, SecureJsonData: { apiToken: 't' } };
      forwardThroughRoute(req, res, next.match, settings, '?from=now', { role: next.role, dataSource: next.dataSource }, log);
    });
  });

  afterAll(() => {
    upstream.server.closeAllConnections();
    upstream.server.close();
    proxy.server.close();
  });

  const call = (method = 'GET') =>
    new Promise<{ status: number; type?: string; body: string }>((resolve, reject) => {
      const req = request(`${proxy.url}/x`, { method }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
      });
      req.on('error', reject);
      req.end();
    });

  const fieldsRoute = route('sidecar/api/fields', 'GET', '{{ .JsonData.sidecarUrl }}/api/fields', 'Viewer');

  it('data source proxy: keeps the escapes the browser sent', async () => {
    next = { match: { route: fieldsRoute, rest: '/a%20b%2Fc/values', escapeAgain: false }, role: 'Viewer', dataSource: { timeoutMs: 10_000 } };
    expect(await call()).toMatchObject({ status: 200 });
    expect(upstream.seen.at(-1)).toBe('/api/fields/a%20b%2Fc/values?from=now');
  });

  it('app proxy: escapes them a second time', async () => {
    next = {
      match: { route: route('sidecar/*', 'GET', '{{ .JsonData.sidecarUrl }}'), rest: 'api/fields/a%20b%2Fc/values', escapeAgain: true },
      role: 'Editor',
    };
    expect(await call()).toMatchObject({ status: 200 });
    expect(upstream.seen.at(-1)).toBe('/api/fields/a%2520b%252Fc/values?from=now');
  });

  it("refuses a route the user's role does not include, without forwarding it", async () => {
    const before = upstream.seen.length;
    next = {
      match: { route: route('sidecar/api/sources', 'POST', '{{ .JsonData.sidecarUrl }}/api/sources', 'Admin'), rest: '', escapeAgain: true },
      role: 'Editor',
    };
    expect(await call('POST')).toEqual({ status: 403, type: 'application/json; charset=UTF-8', body: JSON.stringify({ message: ACCESS_DENIED }) });
    expect(upstream.seen.length).toBe(before);
  });

  it('data source proxy: turns an upstream 401 into a 400 "Authentication to data source failed"; the app proxy does not', async () => {
    upstream.answer = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"missing or wrong API token"}');
    };
    next = { match: { route: fieldsRoute, rest: '', escapeAgain: false }, role: 'Viewer', dataSource: { timeoutMs: 10_000 } };
    expect(await call()).toEqual({ status: 400, type: 'text/plain; charset=utf-8', body: DATA_SOURCE_AUTH_FAILED });
    next = { ...next, match: { ...next.match, escapeAgain: true }, dataSource: undefined };
    expect(await call()).toMatchObject({ status: 401, body: '{"message":"missing or wrong API token"}' });
  });

  it('data source proxy: answers an empty 504 when the upstream sends no headers within [dataproxy] timeout', async () => {
    upstream.answer = () => undefined;
    next = { match: { route: fieldsRoute, rest: '', escapeAgain: false }, role: 'Viewer', dataSource: { timeoutMs: 300 } };
    expect(await call()).toEqual({ status: 504, type: undefined, body: '' });
    expect(log.error).toMatch(/timeout awaiting response headers/);
  });
});
