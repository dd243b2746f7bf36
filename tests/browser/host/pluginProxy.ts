import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OrgRole, PluginRoute } from './bootData';
import { cleanPath, cleanRelativePath, escapeGoPath, joinUrlFragments } from './goPaths';
import { renderRouteTemplate, RouteTemplateError, type TemplateData } from './routeTemplate';

// What Grafana 13 does with a request to one of its two proxies in front of a plugin's routes
// (pkg/api/plugin_proxy.go, pkg/api/pluginproxy/pluginproxy.go, ds_proxy.go, ds_auth_provider.go):
// pick the plugin.json route that matches the path and method, refuse it with a 403 unless the
// user's org role includes the route's `reqRole`, render its URL and headers from the stored
// settings (the secrets only ever exist on this side) and forward the request there.
// Both take the proxied path as the browser escaped it, and differ in the rest:
//   - the app proxy (/api/plugin-proxy/<app>/...) cleans the path (Go's path.Join: `..`, `//` and
//     a trailing slash go), matches a route's path as a router pattern (`:name` a segment, `*`
//     the rest) against the whole path, first match wins, and appends only what `*` matched to
//     the route's URL. It sets that still-escaped text as the URL's decoded Path, so Go escapes
//     it once more on the wire: `a%20b` reaches the sidecar as `a%2520b`;
//   - the data source proxy (/api/datasources/proxy/uid/<uid>/...) matches a route's path as a
//     string prefix of the cleaned path, first match wins, and appends the rest of the raw path to
//     the route's URL, escapes kept as they came (Grafana 11.5 and later). It answers an upstream
//     401 with a 400 "Authentication to data source failed", and an upstream that sends no
//     response headers within `[dataproxy] timeout` (30 s) with an empty 504.
// Both compare a route's method as one exact method; absent or `*` is every method. An upstream
// that cannot be reached, or a route URL that cannot be rendered, is an empty 502.

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const NOT_FORWARDED = ['host', 'cookie', 'authorization', 'x-ds-authorization', 'origin', 'referer'];
export const ACCESS_DENIED = 'plugin proxy route access denied';
export const DATA_SOURCE_AUTH_FAILED = 'Authentication to data source failed';

const ROLE_RANK: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's `org.RoleType.Includes`; a route without a (valid) reqRole is open to every role. */
export function roleIncludes(role: OrgRole, required: string | undefined): boolean {
  const needed = ROLE_RANK[required as OrgRole];
  return needed === undefined || ROLE_RANK[role] >= needed;
}

export interface RouteMatch {
  route: PluginRoute;
  /** The path on the upstream, exactly as sent (escapes included), before the route URL's own path. */
  rest: string;
  /** The app proxy sets it as a decoded Path, which Go escapes again. */
  escapeAgain: boolean;
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

function methodMatches(route: PluginRoute, method: string): boolean {
  return !route.method || route.method === '*' || route.method === method;
}

/** Grafana's router tree match of one route pattern against the whole path. */
function patternMatch(pattern: string, path: string): string | undefined {
  const want = trimSlashes(pattern).split('/');
  const got = trimSlashes(path).split('/');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '*' && i === want.length - 1) {
      return got.slice(i).join('/');
    }
    if (i >= got.length || !(want[i].startsWith(':') ? got[i] !== '' : want[i] === got[i])) {
      return undefined;
    }
  }
  return got.length === want.length ? '' : undefined;
}

/** `escapedPath`: the request's path after `/api/plugin-proxy/<app>/`, as the browser escaped it. */
export function matchAppRoute(routes: PluginRoute[], escapedPath: string, method: string): RouteMatch | undefined {
  const path = cleanPath(`/${escapedPath}`);
  for (const route of routes) {
    const rest = methodMatches(route, method) ? patternMatch(route.path, path) : undefined;
    if (rest !== undefined) {
      return { route, rest, escapeAgain: true };
    }
  }
  return undefined;
}

/** `escapedPath`: the request's path after `/api/datasources/proxy/uid/<uid>/`, as the browser escaped it. */
export function matchDataSourceRoute(routes: PluginRoute[], escapedPath: string, method: string): RouteMatch | undefined {
  const wanted = (path: string) => (cleanRelativePath(path) === '.' && path !== '.' ? '' : cleanRelativePath(path));
  const route = routes.find((r) => methodMatches(r, method) && wanted(escapedPath).startsWith(wanted(r.path)));
  return route && { route, rest: escapedPath.startsWith(route.path) ? escapedPath.slice(route.path.length) : escapedPath, escapeAgain: false };
}

export interface ForwardLog {
  forwardedTo?: string;
  /** Why Grafana would have answered with an error (its logs would say so; the browser sees only the status). */
  error?: string;
}

export interface ForwardOptions {
  /** The signed-in user's org role, checked against the route's `reqRole`. */
  role: OrgRole;
  /** The data source proxy's `[dataproxy] timeout` and 401 handling; the app proxy has neither. */
  dataSource?: { timeoutMs: number };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/**
 * Forwards `req` through a matched route, with the settings' values in its URL and headers.
 * `query` is the raw query string of the proxied request, kept as Grafana keeps it.
 */
export function forwardThroughRoute(
  req: IncomingMessage,
  res: ServerResponse,
  match: RouteMatch,
  settings: TemplateData,
  query: string,
  options: ForwardOptions,
  log: ForwardLog
): void {
  if (!roleIncludes(options.role, match.route.reqRole)) {
    log.error = `${options.role} is not ${match.route.reqRole} (route ${match.route.method ?? '*'} ${match.route.path})`;
    sendJson(res, 403, { message: ACCESS_DENIED });
    return;
  }
  let url: URL;
  const headers: Record<string, string> = {};
  try {
    const base = renderRouteTemplate(match.route.url ?? '', settings);
    if (!/^https?:\/\//.test(base)) {
      throw new RouteTemplateError(`route "${match.route.path}" has no usable URL: "${base}" (unsupported protocol scheme)`);
    }
    url = new URL(base);
    for (const header of match.route.headers ?? []) {
      headers[header.name.toLowerCase()] = renderRouteTemplate(header.content, settings);
    }
  } catch (err) {
    // Grafana's reverse proxy fails such a request with an empty 502 and logs the reason.
    log.error = (err as Error).message;
    res.writeHead(502);
    res.end();
    return;
  }
  const joined = joinUrlFragments(url.pathname, match.rest) || '/';
  const path = `${match.escapeAgain ? escapeGoPath(joined) : joined}${query}`;

  const forwarded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name) && !NOT_FORWARDED.includes(name)) {
      forwarded[name] = value;
    }
  }
  Object.assign(forwarded, headers, { 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' });
  log.forwardedTo = `${url.origin}${path}`;

  const fail = (status: 502 | 504, reason: string) => {
    log.error = reason;
    if (!res.headersSent) {
      res.writeHead(status);
    }
    res.end();
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send({ protocol: url.protocol, hostname: url.hostname, port: url.port, path, method: req.method, headers: forwarded }, (answer) => {
    clearTimeout(timer);
    if (options.dataSource && answer.statusCode === 401) {
      answer.resume();
      log.error = 'the data source answered 401: Grafana logs "Authentication to data source failed" and answers 400';
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(DATA_SOURCE_AUTH_FAILED) });
      res.end(DATA_SOURCE_AUTH_FAILED);
      return;
    }
    const responseHeaders = { ...answer.headers };
    delete responseHeaders['set-cookie'];
    HOP_BY_HOP.forEach((h) => delete responseHeaders[h]);
    res.writeHead(answer.statusCode ?? 502, responseHeaders);
    answer.pipe(res);
  });
  const timer = options.dataSource
    ? setTimeout(() => {
        upstream.destroy();
        fail(504, `upstream ${url.origin}: timeout awaiting response headers (${options.dataSource!.timeoutMs} ms, [dataproxy] timeout)`);
      }, options.dataSource.timeoutMs)
    : undefined;
  upstream.on('error', (err) => {
    clearTimeout(timer);
    if (!log.error) {
      fail(502, `upstream ${url.origin}: ${err.message}`);
    }
  });
  req.pipe(upstream);
}
