import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PluginRoute } from './bootData';
import { renderRouteTemplate, RouteTemplateError, type TemplateData } from './routeTemplate';

// What Grafana does with a request to one of its two proxies in front of a plugin's routes:
// pick the plugin.json route that matches the path and method, render its URL and headers from
// the stored settings (the secrets only ever exist on this side) and forward the request there.
// The two proxies match differently (pkg/api/pluginproxy in Grafana):
//   - the app proxy (/api/plugin-proxy/<app>/...) matches a route's path as a router pattern
//     (`:name` a segment, `*` the rest) against the whole path, first match wins, and appends
//     only what `*` matched to the route's URL;
//   - the data source proxy (/api/datasources/proxy/uid/<uid>/...) matches a route's path as a
//     prefix, first match wins, and appends the rest of the path to the route's URL.
// Both compare a route's method as one exact method; absent or `*` is every method.

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const NOT_FORWARDED = ['host', 'cookie', 'authorization', 'x-ds-authorization', 'origin', 'referer'];

export interface RouteMatch {
  route: PluginRoute;
  /** The part of the proxied path appended to the route's URL. */
  rest: string;
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

export function matchAppRoute(routes: PluginRoute[], path: string, method: string): RouteMatch | undefined {
  for (const route of routes) {
    const rest = methodMatches(route, method) ? patternMatch(route.path, path) : undefined;
    if (rest !== undefined) {
      return { route, rest };
    }
  }
  return undefined;
}

export function matchDataSourceRoute(routes: PluginRoute[], path: string, method: string): RouteMatch | undefined {
  const clean = trimSlashes(path);
  const route = routes.find((r) => methodMatches(r, method) && clean.startsWith(trimSlashes(r.path)));
  return route && { route, rest: clean.slice(trimSlashes(route.path).length) };
}

/** util.JoinURLFragments */
function joinPath(base: string, rest: string): string {
  if (!rest) {
    return base || '/';
  }
  return `${base.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;
}

export interface ForwardLog {
  forwardedTo?: string;
  /** Why Grafana would have answered with an error (its logs would say so; the browser sees only the status). */
  error?: string;
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
  log: ForwardLog
): void {
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
  url.pathname = joinPath(url.pathname === '/' ? '' : url.pathname, match.rest);
  url.search = query;

  const forwarded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name) && !NOT_FORWARDED.includes(name)) {
      forwarded[name] = value;
    }
  }
  Object.assign(forwarded, headers, { 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' });
  log.forwardedTo = url.toString();

  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(url, { method: req.method, headers: forwarded }, (answer) => {
    const responseHeaders = { ...answer.headers };
    delete responseHeaders['set-cookie'];
    HOP_BY_HOP.forEach((h) => delete responseHeaders[h]);
    res.writeHead(answer.statusCode ?? 502, responseHeaders);
    answer.pipe(res);
  });
  upstream.on('error', (err) => {
    log.error = `upstream ${url.origin}: ${err.message}`;
    if (!res.headersSent) {
      res.writeHead(502);
    }
    res.end();
  });
  req.pipe(upstream);
}
