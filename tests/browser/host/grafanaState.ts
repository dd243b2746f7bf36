import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_PLUGIN_ID,
  DATASOURCE_NAME,
  DATASOURCE_PLUGIN_ID,
  DATASOURCE_UID,
  type DataSourceSettingsDto,
  type OrgRole,
  type PluginJson,
  type PluginSettingsDto,
} from './bootData';

// What Grafana's database holds for the test host: the app's settings and one data source of
// the nested plugin, secrets included. Secrets never leave this side except through a route.

interface StoredPlugin {
  json: PluginJson;
  /** Folder the plugin is served from, relative to dist/. */
  folder: string;
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

interface StoredDataSource {
  id: number;
  uid: string;
  name: string;
  type: string;
  url: string;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
  version: number;
}

export class StateError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
}

const configured = (secrets: Record<string, string>) => Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v !== '']));

function readPluginJson(distDir: string, folder: string): PluginJson {
  const file = join(distDir, folder, 'plugin.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PluginJson;
  } catch (err) {
    throw new Error(`cannot read the built ${file} (run \`npm run build:plugin\`): ${(err as Error).message}`);
  }
}

export class GrafanaState {
  readonly plugins = new Map<string, StoredPlugin>();
  readonly dataSources = new Map<string, StoredDataSource>();
  /** The signed-in user's role in the organization: the proxies check it against routes' `reqRole`. */
  user: { login: string; orgRole: OrgRole } = { login: 'admin', orgRole: 'Admin' };
  /** grafana.ini's `[dataproxy] timeout`, in milliseconds here so a test can shorten it. */
  dataProxyTimeoutMs = 30_000;

  constructor(distDir: string) {
    // Enabled, as provisioning/plugins/ does it; not configured yet.
    this.plugins.set(APP_PLUGIN_ID, { json: readPluginJson(distDir, ''), folder: '', enabled: true, pinned: true, jsonData: {}, secureJsonData: {} });
    if (!existsSync(join(distDir, 'datasource', 'plugin.json'))) {
      // The nested data source is not built (yet): Grafana would simply not list it.
      return;
    }
    const dsJson = readPluginJson(distDir, 'datasource');
    if (dsJson.id !== DATASOURCE_PLUGIN_ID) {
      throw new Error(`dist/datasource/plugin.json has id ${dsJson.id}, expected ${DATASOURCE_PLUGIN_ID}`);
    }
    this.plugins.set(DATASOURCE_PLUGIN_ID, { json: dsJson, folder: 'datasource', enabled: true, pinned: false, jsonData: {}, secureJsonData: {} });
    // As if the user had just clicked "Add new data source" for Lookback.
    this.dataSources.set(DATASOURCE_UID, {
      id: 1,
      uid: DATASOURCE_UID,
      name: DATASOURCE_NAME,
      type: DATASOURCE_PLUGIN_ID,
      url: '',
      isDefault: true,
      jsonData: {},
      secureJsonData: {},
      version: 1,
    });
  }

  plugin(id: string): StoredPlugin {
    const plugin = this.plugins.get(id);
    if (!plugin) {
      throw new StateError(404, `Plugin not found, no installed plugin with that id`);
    }
    return plugin;
  }

  dataSource(uid: string): StoredDataSource {
    const ds = this.dataSources.get(uid);
    if (!ds) {
      throw new StateError(404, 'Data source not found');
    }
    return ds;
  }

  pluginSettings(id: string): PluginSettingsDto {
    const p = this.plugin(id);
    const baseUrl = `public/plugins/${id}`;
    const logo = (path: string) => `${baseUrl}/${path}`;
    return {
      ...p.json,
      info: { ...p.json.info, logos: { small: logo(p.json.info.logos.small), large: logo(p.json.info.logos.large) } },
      enabled: p.enabled,
      pinned: p.pinned,
      module: `${baseUrl}/module.js`,
      baseUrl,
      jsonData: p.jsonData,
      secureJsonFields: configured(p.secureJsonData),
    };
  }

  /** `POST /api/plugins/:id/settings`: given secure keys replace the stored ones, others stay. */
  updatePluginSettings(
    id: string,
    body: { enabled?: boolean; pinned?: boolean; jsonData?: Record<string, unknown>; secureJsonData?: Record<string, string> }
  ): void {
    const p = this.plugin(id);
    p.enabled = body.enabled ?? p.enabled;
    p.pinned = body.pinned ?? p.pinned;
    p.jsonData = body.jsonData ?? p.jsonData;
    p.secureJsonData = { ...p.secureJsonData, ...(body.secureJsonData ?? {}) };
  }

  dataSourceSettings(uid: string): DataSourceSettingsDto {
    const ds = this.dataSource(uid);
    const plugin = this.plugin(ds.type);
    return {
      id: ds.id,
      uid: ds.uid,
      orgId: 1,
      name: ds.name,
      type: ds.type,
      typeName: plugin.json.name,
      typeLogoUrl: this.pluginSettings(ds.type).info.logos.small,
      access: 'proxy',
      url: ds.url,
      user: '',
      database: '',
      basicAuth: false,
      basicAuthUser: '',
      withCredentials: false,
      isDefault: ds.isDefault,
      jsonData: ds.jsonData,
      secureJsonFields: configured(ds.secureJsonData),
      version: ds.version,
      readOnly: false,
    };
  }

  /** `PUT /api/datasources/uid/:uid`, with Grafana's optimistic locking on `version`. */
  updateDataSource(uid: string, body: Partial<DataSourceSettingsDto> & { secureJsonData?: Record<string, string> }): DataSourceSettingsDto {
    const ds = this.dataSource(uid);
    if (typeof body.version === 'number' && body.version < ds.version) {
      throw new StateError(409, 'Datasource has already been updated by someone else. Please reload and try again');
    }
    if (body.name !== undefined && !body.name.trim()) {
      throw new StateError(400, 'Name is required');
    }
    ds.name = body.name ?? ds.name;
    ds.url = body.url ?? ds.url;
    ds.isDefault = body.isDefault ?? ds.isDefault;
    ds.jsonData = body.jsonData ?? ds.jsonData;
    ds.secureJsonData = { ...ds.secureJsonData, ...(body.secureJsonData ?? {}) };
    ds.version += 1;
    return this.dataSourceSettings(uid);
  }

  /** The data source as the browser instantiates it (frontend settings' `datasources`). */
  instanceSettings(uid: string): Record<string, unknown> {
    const ds = this.dataSource(uid);
    const meta = this.pluginSettings(ds.type);
    return {
      id: ds.id,
      uid: ds.uid,
      type: ds.type,
      name: ds.name,
      meta: { ...meta, jsonData: undefined, secureJsonFields: undefined },
      url: `/api/datasources/proxy/uid/${ds.uid}`,
      access: 'proxy',
      jsonData: ds.jsonData,
      isDefault: ds.isDefault,
      readOnly: false,
    };
  }

  frontendDataSources(): Record<string, unknown> {
    return Object.fromEntries([...this.dataSources.values()].map((ds) => [ds.name, this.instanceSettings(ds.uid)]));
  }
}
