import { AppPlugin, DataSourcePlugin, type AppPluginMeta, type DataSourceApi, type DataSourcePluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import type { PluginSettingsDto } from '../../bootData';
import { importPluginModule } from '../amdLoader';
import { sharedModules } from '../sharedModules';

// Grafana's importAppPlugin / importDataSourcePlugin: load the module, take its `plugin`
// export and hand it the meta Grafana holds for it.

export function fetchPluginSettings(pluginId: string): Promise<PluginSettingsDto> {
  return getBackendSrv().get<PluginSettingsDto>(`/api/plugins/${pluginId}/settings`);
}

async function pluginExport(path: string): Promise<unknown> {
  const exports = (await importPluginModule(path, sharedModules)) as { plugin?: unknown };
  if (!exports?.plugin) {
    throw new Error(`${path} has no \`plugin\` export`);
  }
  return exports.plugin;
}

export async function importAppPlugin(meta: AppPluginMeta): Promise<AppPlugin> {
  const plugin = await pluginExport(meta.module);
  if (!(plugin instanceof AppPlugin)) {
    throw new Error(`${meta.module} does not export an AppPlugin`);
  }
  plugin.init(meta);
  plugin.meta = meta;
  return plugin;
}

export async function importDataSourcePlugin(meta: DataSourcePluginMeta): Promise<DataSourcePlugin<DataSourceApi>> {
  const plugin = await pluginExport(meta.module);
  if (!(plugin instanceof DataSourcePlugin)) {
    throw new Error(`${meta.module} does not export a DataSourcePlugin`);
  }
  plugin.meta = meta;
  return plugin as DataSourcePlugin<DataSourceApi>;
}
