import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** Grafana's proxy to the sidecar; the route in plugin.json adds the API token. */
export const SIDECAR_PROXY = `/api/plugin-proxy/${pluginJson.id}/sidecar`;
