// What the test host's server writes into every page as `window.grafanaBootData`, the way
// Grafana's index.html does. Only the parts the plugin and the host pages read are filled in.
// Shared by the Node server and the browser page, so it holds types and constants only.

export type ThemeName = 'light' | 'dark';

/** A Grafana organization role: what a plugin route's `reqRole` and an include's `role` name. */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export const APP_PLUGIN_ID = 'lookback-siem-app';
export const DATASOURCE_PLUGIN_ID = 'lookback-logs-datasource';
/** The one data source instance the host holds, as if a user had just added it. */
export const DATASOURCE_UID = 'lookback-e2e';
export const DATASOURCE_NAME = 'Lookback';

/** A plugin's plugin.json as the build emits it (the fields the host reads). */
export interface PluginJson {
  id: string;
  type: 'app' | 'datasource' | 'panel';
  name: string;
  info: { version: string; description?: string; logos: { small: string; large: string }; author?: { name: string } };
  routes?: PluginRoute[];
  includes?: PluginInclude[];
  logs?: boolean;
  metrics?: boolean;
  annotations?: boolean;
  alerting?: boolean;
  [key: string]: unknown;
}

export interface PluginRoute {
  path: string;
  url?: string;
  /** One method, a comma-separated list, `*` or absent (every method). */
  method?: string;
  reqRole?: string;
  headers?: Array<{ name: string; content: string }>;
}

export interface PluginInclude {
  type: string;
  name: string;
  path?: string;
  icon?: string;
  role?: string;
  addToNav?: boolean;
  defaultNav?: boolean;
}

/** `GET /api/plugins/:id/settings`: plugin.json plus what Grafana stores for the plugin. */
export interface PluginSettingsDto extends PluginJson {
  enabled: boolean;
  pinned: boolean;
  module: string;
  baseUrl: string;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
}

/** `GET /api/datasources/uid/:uid`: a data source as Grafana stores it (secrets never included). */
export interface DataSourceSettingsDto {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  typeName: string;
  typeLogoUrl: string;
  access: 'proxy';
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  basicAuthUser: string;
  withCredentials: boolean;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
  version: number;
  readOnly: boolean;
}

export interface HostBootData {
  user: {
    id: number;
    login: string;
    name: string;
    email: string;
    orgId: number;
    orgRole: OrgRole;
    isGrafanaAdmin: boolean;
    isSignedIn: boolean;
    theme: ThemeName;
    lightTheme: boolean;
    timezone: string;
    weekStart: string;
    locale: string;
    language: string;
  };
  settings: {
    appUrl: string;
    appSubUrl: string;
    buildInfo: { version: string; commit: string; env: string; edition: string };
    /** Instance settings by name, as Grafana's frontend settings list them. */
    datasources: Record<string, unknown>;
    /** App plugins by id: where their module is. */
    apps: Record<string, { id: string; path: string; version: string; preload: boolean }>;
    defaultDatasource: string;
    exploreEnabled: boolean;
  };
  navTree: unknown[];
  assets: { dark: string; light: string };
}
