import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { APP_PLUGIN_ID, DATASOURCE_PLUGIN_ID, type ThemeName } from './bootData';
import { GrafanaState, StateError } from './grafanaState';
import { hostPageHtml } from './hostPage';
import { forwardThroughRoute, matchAppRoute, matchDataSourceRoute } from './pluginProxy';
import { sendFile } from './staticFiles';

// The test host's server: the page, the built plugin files, the handful of Grafana API
// endpoints the plugin pages call, and Grafana's two proxies in front of the sidecar.

export interface HostOptions {
  /** The built plugin (dist/), served as Grafana serves public/plugins/<id>/. */
  distDir: string;
  /** The built host page (see bundle.ts). */
  bundleDir: string;
  port?: number;
}

/** As nginx logs it: the browser went away before the answer (a navigation, an aborted fetch). */
export const CLIENT_CLOSED_REQUEST = 499;

export interface HostRequestLog {
  method: string;
  path: string;
  status: number;
  /** Where a proxied request went. */
  forwardedTo?: string;
  /** Why the host failed it, where Grafana would only have logged the reason. */
  error?: string;
}

export interface Host {
  url: string;
  state: GrafanaState;
  /** Every request the browser made, in order (for assertions and for saying what was missing). */
  requests: HostRequestLog[];
  /** The requests logged from index `from` on, once every one of them has been answered. */
  answeredSince(from: number): Promise<HostRequestLog[]>;
  close(): Promise<void>;
}

const NODE_MODULES = join(__dirname, '..', '..', '..', 'node_modules');
const ICONS = join(NODE_MODULES, '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
/** Debian's fonts-inter, served where Grafana serves its Inter web fonts. */
const SYSTEM_INTER = '/usr/share/fonts/opentype/inter';

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString();
  if (!text) {
    return {};
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new StateError(400, 'bad request data: body is not JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void> | void;

export async function startHost(options: HostOptions): Promise<Host> {
  const state = new GrafanaState(options.distDir);
  const requests: HostRequestLog[] = [];

  const api: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/api\/plugins\/([\w-]+)\/settings$/, (_req, res, [id]) => json(res, 200, state.pluginSettings(id))],
    [
      'POST',
      /^\/api\/plugins\/([\w-]+)\/settings$/,
      async (req, res, [id]) => {
        state.updatePluginSettings(id, await readJson(req));
        json(res, 200, { message: 'Plugin settings updated' });
      },
    ],
    [
      'GET',
      /^\/api\/datasources$/,
      (_req, res) =>
        json(
          res,
          200,
          [...state.dataSources.keys()].map((uid) => state.dataSourceSettings(uid))
        ),
    ],
    ['GET', /^\/api\/datasources\/uid\/([\w-]+)$/, (_req, res, [uid]) => json(res, 200, state.dataSourceSettings(uid))],
    [
      'PUT',
      /^\/api\/datasources\/uid\/([\w-]+)$/,
      async (req, res, [uid]) => {
        const datasource = state.updateDataSource(uid, await readJson(req));
        json(res, 200, { datasource, id: datasource.id, message: 'Datasource updated', name: datasource.name });
      },
    ],
    ['GET', /^\/api\/frontend\/settings$/, (_req, res) => json(res, 200, { datasources: state.frontendDataSources() })],
  ];

  const proxy = (req: IncomingMessage, res: ServerResponse, path: string, log: HostRequestLog): boolean => {
    const query = new URL(req.url ?? '/', 'http://host').search;
    const method = req.method ?? 'GET';
    const role = state.user.orgRole;
    const app = /^\/api\/plugin-proxy\/([\w-]+)\/?(.*)$/.exec(path);
    if (app) {
      const plugin = state.plugin(app[1]);
      const match = matchAppRoute(plugin.json.routes ?? [], app[2], method);
      if (!match) {
        json(res, 404, { message: 'plugin route match not found' });
        return true;
      }
      forwardThroughRoute(req, res, match, { JsonData: plugin.jsonData, SecureJsonData: plugin.secureJsonData }, query, { role }, log);
      return true;
    }
    const ds = /^\/api\/datasources\/proxy\/uid\/([\w-]+)\/?(.*)$/.exec(path);
    if (ds) {
      const stored = state.dataSource(ds[1]);
      // Without a matching route Grafana sends the request to the data source's own URL, untouched.
      const match = matchDataSourceRoute(state.plugin(stored.type).json.routes ?? [], ds[2], method) ?? {
        route: { path: '', url: stored.url },
        rest: ds[2],
        escapeAgain: false,
      };
      forwardThroughRoute(
        req,
        res,
        match,
        { JsonData: stored.jsonData, SecureJsonData: stored.secureJsonData },
        query,
        { role, dataSource: { timeoutMs: state.dataProxyTimeoutMs } },
        log
      );
      return true;
    }
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, log: HostRequestLog) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      // The proxies take the path as the browser escaped it (Go's URL.EscapedPath), not normalised.
      if (proxy(req, res, (req.url ?? '/').split('?')[0], log)) {
        return;
      }
      for (const [method, pattern, handler] of api) {
        const match = pattern.exec(path);
        if (match && method === req.method) {
          await handler(req, res, match.slice(1));
          return;
        }
      }
      json(res, 404, {
        message: `the test host does not serve ${req.method} ${path} (Grafana API endpoints are added to tests/browser/host/server.ts as plugin pages need them)`,
      });
      return;
    }
    const statics: Array<[string, string]> = [
      [`/public/plugins/${DATASOURCE_PLUGIN_ID}/`, join(options.distDir, 'datasource')],
      [`/public/plugins/${APP_PLUGIN_ID}/`, options.distDir],
      ['/public/host/', options.bundleDir],
      ['/public/build/img/icons/', ICONS],
    ];
    for (const [prefix, root] of statics) {
      if (path.startsWith(prefix)) {
        if (!sendFile(res, root, path.slice(prefix.length))) {
          json(res, 404, { message: `no file ${path}` });
        }
        return;
      }
    }
    const font = /^\/public\/fonts\/inter\/(Inter-[A-Za-z]+)\.woff2$/.exec(path);
    if (font && existsSync(join(SYSTEM_INTER, `${font[1]}.otf`))) {
      sendFile(res, SYSTEM_INTER, `${font[1]}.otf`);
      return;
    }
    if (path.startsWith('/public/')) {
      json(res, 404, { message: `no file ${path}` });
      return;
    }
    const theme: ThemeName = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(hostPageHtml(state, theme));
  };

  const server = createServer((req, res) => {
    const log: HostRequestLog = { method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
    requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    res.on('close', () => (log.status ||= res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST));
    handle(req, res, log).catch((err: unknown) => {
      const status = err instanceof StateError ? err.status : 500;
      if (!res.headersSent) {
        json(res, status, { message: (err as Error).message });
      } else {
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    answeredSince: async (from) => {
      const deadline = Date.now() + 10_000;
      while (requests.slice(from).some((r) => r.status === 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return requests.slice(from);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
