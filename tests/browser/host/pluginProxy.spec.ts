import type { PluginRoute } from './bootData';
import { matchAppRoute, matchDataSourceRoute } from './pluginProxy';
import { renderRouteTemplate, RouteTemplateError } from './routeTemplate';

const route = (path: string, method?: string, url = 'http://sidecar'): PluginRoute => ({ path, method, url });

describe("the host's plugin proxies match routes as Grafana does", () => {
  const appRoutes = [route('sidecar/api/backfills', 'POST'), route('sidecar/api/backfills/*', 'POST'), route('sidecar/*', 'GET')];

  it('app proxy: a literal route matches only its whole path and forwards nothing more', () => {
    expect(matchAppRoute(appRoutes, 'sidecar/api/backfills', 'POST')).toEqual({ route: appRoutes[0], rest: '' });
    expect(matchAppRoute(appRoutes, 'sidecar/api/backfills/b-1/cancel', 'POST')).toEqual({ route: appRoutes[1], rest: 'b-1/cancel' });
    expect(matchAppRoute(appRoutes, 'sidecar/api/sources', 'POST')).toBeUndefined();
  });

  it('app proxy: `*` takes the rest of the path; methods compare exactly', () => {
    expect(matchAppRoute(appRoutes, 'sidecar/api/health', 'GET')).toEqual({ route: appRoutes[2], rest: 'api/health' });
    expect(matchAppRoute(appRoutes, 'sidecar/api/health', 'DELETE')).toBeUndefined();
    expect(matchAppRoute([route('sidecar', 'GET,POST')], 'sidecar', 'GET')).toBeUndefined();
    expect(matchAppRoute([route('sidecar')], 'sidecar', 'DELETE')).toEqual({ route: route('sidecar'), rest: '' });
  });

  it('data source proxy: a route matches as a prefix and forwards the rest', () => {
    const routes = [route('sidecar/api/query', 'POST'), route('sidecar', 'GET')];
    expect(matchDataSourceRoute(routes, 'sidecar/api/query', 'POST')).toEqual({ route: routes[0], rest: '' });
    expect(matchDataSourceRoute(routes, 'sidecar/api/fields/actor/values', 'GET')).toEqual({ route: routes[1], rest: '/api/fields/actor/values' });
    expect(matchDataSourceRoute(routes, 'sidecar/api/query', 'GET')).toEqual({ route: routes[1], rest: '/api/query' });
    expect(matchDataSourceRoute(routes, 'other', 'GET')).toBeUndefined();
  });

  it('renders route templates like Go templates over the settings', () => {
    const data = { JsonData: { sidecarUrl: 'http://lookback:8089' }, SecureJsonData: { apiToken: 's3cret' } };
    expect(renderRouteTemplate('{{ .JsonData.sidecarUrl }}/api', data)).toBe('http://lookback:8089/api');
    expect(renderRouteTemplate('Bearer {{ .SecureJsonData.apiToken }}', data)).toBe('Bearer s3cret');
    expect(renderRouteTemplate('{{ .JsonData.missing }}', data)).toBe('<no value>');
    expect(renderRouteTemplate('Bearer {{ .SecureJsonData.missing }}', data)).toBe('Bearer ');
    expect(() => renderRouteTemplate('{{ .URL }}', data)).toThrow(RouteTemplateError);
  });
});
