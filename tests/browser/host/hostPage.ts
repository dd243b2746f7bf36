import { APP_PLUGIN_ID, DATASOURCE_UID, type HostBootData, type ThemeName } from './bootData';
import type { GrafanaState } from './grafanaState';
import { roleIncludes } from './pluginProxy';

interface NavItem {
  id: string;
  text: string;
  icon?: string;
  url?: string;
  children?: NavItem[];
}

/** Grafana's nav tree for this host: Explore, the data source, and the app with its pages. */
function navTree(state: GrafanaState): NavItem[] {
  const tree: NavItem[] = [{ id: 'explore', text: 'Explore', icon: 'compass', url: '/explore' }];
  if (state.dataSources.has(DATASOURCE_UID)) {
    const ds = state.dataSource(DATASOURCE_UID);
    tree.push({
      id: 'connections',
      text: 'Connections',
      icon: 'adjust-circle',
      children: [
        { id: 'datasources', text: 'Data sources', children: [{ id: `ds-${ds.uid}`, text: ds.name, url: `/connections/datasources/edit/${ds.uid}` }] },
      ],
    });
  }
  const app = state.pluginSettings(APP_PLUGIN_ID);
  // Grafana lists an app's pages only to the roles their include names.
  const pages = (app.includes ?? []).filter((inc) => inc.type === 'page' && inc.addToNav && inc.path && roleIncludes(state.user.orgRole, inc.role));
  tree.push({
    id: 'apps',
    text: 'Apps',
    icon: 'layer-group',
    children: [
      {
        id: `plugin-page-${app.id}`,
        text: app.name,
        // Pages of the app that are not in its nav still belong to it (Grafana titles them with the app's name).
        url: `/a/${app.id}`,
        children: pages.map((p) => ({ id: `plugin-page-${app.id}-${p.name}`, text: p.name, icon: p.icon, url: p.path })),
      },
    ],
  });
  return tree;
}

export function bootData(state: GrafanaState, theme: ThemeName): HostBootData {
  const app = state.pluginSettings(APP_PLUGIN_ID);
  return {
    user: {
      id: 1,
      login: state.user.login,
      name: state.user.login,
      email: `${state.user.login}@localhost`,
      orgId: 1,
      orgRole: state.user.orgRole,
      isGrafanaAdmin: state.user.orgRole === 'Admin',
      isSignedIn: true,
      theme,
      lightTheme: theme === 'light',
      timezone: 'utc',
      weekStart: '',
      locale: 'en-US',
      language: 'en-US',
    },
    settings: {
      appUrl: '/',
      appSubUrl: '',
      buildInfo: { version: '13.2.3', commit: 'test-host', env: 'production', edition: 'Open Source' },
      datasources: state.frontendDataSources(),
      apps: { [app.id]: { id: app.id, path: app.module, version: app.info.version, preload: false } },
      defaultDatasource: state.dataSources.has(DATASOURCE_UID) ? state.dataSource(DATASOURCE_UID).name : '',
      exploreEnabled: true,
    },
    navTree: navTree(state),
    assets: { dark: '', light: '' },
  };
}

/** Grafana's index.html: boot data first, then the bundle. */
export function hostPageHtml(state: GrafanaState, theme: ThemeName): string {
  const data = JSON.stringify(bootData(state, theme)).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <base href="/" />
    <title>Lookback · browser test host</title>
    <script>
      window.grafanaBootData = ${data};
      window.__grafana_public_path__ = '/public/';
    </script>
  </head>
  <body class="theme-${theme}">
    <div id="reactRoot"></div>
    <script src="/public/host/host.js"></script>
  </body>
</html>`;
}
