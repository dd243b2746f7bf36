import { useMemo } from 'react';
import type { AppPluginMeta } from '@grafana/data';
import { locationSearchToObject } from '@grafana/runtime';
import { Alert, LoadingPlaceholder } from '@grafana/ui';
import { useLocation, useParams } from 'react-router-dom';
import { fetchPluginSettings, importAppPlugin } from '../services/plugins';
import { useAsync } from './useAsync';

/**
 * `/a/:pluginId/*`: Grafana's AppRootPage. Loads the app with its settings and renders its root
 * page with the props Grafana gives it; the app's own routes are relative to `/a/:pluginId`.
 */
export function AppRootPage() {
  const { pluginId = '' } = useParams();
  const location = useLocation();
  const app = useAsync(async () => {
    const meta = (await fetchPluginSettings(pluginId)) as unknown as AppPluginMeta;
    return { meta, plugin: await importAppPlugin(meta) };
  }, [pluginId]);
  const query = useMemo(() => locationSearchToObject(location.search), [location.search]);

  if (app.loading) {
    return <LoadingPlaceholder text="Loading app" />;
  }
  if (app.error) {
    return (
      <Alert severity="error" title={`Could not load the app ${pluginId}`}>
        {app.error.message}
      </Alert>
    );
  }
  const { meta, plugin } = app.value;
  if (!meta.enabled) {
    return (
      <Alert severity="warning" title="App not enabled">
        Enable {meta.name} on its configuration page first.
      </Alert>
    );
  }
  if (!plugin.root) {
    return <Alert severity="error" title="App has no root page">{`${meta.id} does not call setRootPage()`}</Alert>;
  }
  const Root = plugin.root;
  // onNavChanged is the deprecated way to title a page; apps (Lookback included) use PluginPage.
  return <Root meta={meta} basename={`/a/${pluginId}`} path={location.pathname} query={query} onNavChanged={() => undefined} />;
}
