import { EventBusSrv, type DataSourceInstanceSettings } from '@grafana/data';
import { config, setAppEvents, setBackendSrv, setDataSourceSrv, setEchoSrv, setTemplateSrv } from '@grafana/runtime';
// Not exported by @grafana/runtime; Grafana core calls it the same way (alias in webpack.host.ts).
import { setPluginPage } from 'grafana-runtime-plugin-page';
import { HostPluginPage } from '../chrome/HostPluginPage';
import { HostBackendSrv } from './backendSrv';
import { HostDataSourceSrv } from './dataSourceSrv';
import { HostEchoSrv } from './echoSrv';
import { HostTemplateSrv } from './templateSrv';

/** What Grafana's app.ts sets up before any plugin code runs. */
export function installGrafanaServices(): void {
  const appEvents = new EventBusSrv();
  setAppEvents(appEvents);
  setBackendSrv(new HostBackendSrv(appEvents));
  setTemplateSrv(new HostTemplateSrv());
  setDataSourceSrv(new HostDataSourceSrv(config.datasources as Record<string, DataSourceInstanceSettings>));
  setEchoSrv(new HostEchoSrv());
  setPluginPage(HostPluginPage);
}
