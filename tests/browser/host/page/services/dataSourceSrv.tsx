import type { DataSourceApi, DataSourceInstanceSettings, DataSourceRef } from '@grafana/data';
import { getBackendSrv, type DataSourceSrv, type GetDataSourceListFilters, type RuntimeDataSourceRegistration } from '@grafana/runtime';
import { importDataSourcePlugin } from './plugins';

/** Grafana's DatasourceSrv over the instance settings of the frontend settings. */
export class HostDataSourceSrv implements DataSourceSrv {
  private readonly instances = new Map<string, Promise<DataSourceApi>>();

  constructor(private settings: Record<string, DataSourceInstanceSettings>) {}

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    const all = Object.values(this.settings);
    if (ref === undefined || ref === null) {
      return all.find((ds) => ds.isDefault) ?? all[0];
    }
    const key = typeof ref === 'string' ? ref : ref.uid;
    return all.find((ds) => ds.uid === key || ds.name === key);
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    return Object.values(this.settings).filter(
      (ds) => (!filters.logs || ds.meta.logs) && (!filters.pluginId || ds.meta.id === filters.pluginId) && (!filters.filter || filters.filter(ds))
    );
  }

  get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) {
      return Promise.reject(new Error(`Datasource ${JSON.stringify(ref)} was not found`));
    }
    if (!this.instances.has(settings.uid)) {
      this.instances.set(settings.uid, this.create(settings));
    }
    return this.instances.get(settings.uid)!;
  }

  private async create(settings: DataSourceInstanceSettings): Promise<DataSourceApi> {
    const plugin = await importDataSourcePlugin(settings.meta);
    if (!plugin.DataSourceClass) {
      throw new Error(`${settings.meta.id} has no data source class`);
    }
    const instance = new plugin.DataSourceClass(settings);
    instance.components = plugin.components;
    instance.meta = settings.meta;
    return instance;
  }

  /** After a data source was saved: fresh instance settings, fresh instances. */
  async reload(): Promise<void> {
    const frontend = await getBackendSrv().get<{ datasources: Record<string, DataSourceInstanceSettings> }>('/api/frontend/settings');
    this.settings = frontend.datasources;
    this.instances.clear();
  }

  registerRuntimeDataSource(_entry: RuntimeDataSourceRegistration): void {
    throw new Error('the test host does not support runtime data sources');
  }
}
