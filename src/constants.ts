import pluginJson from './plugin.json';

export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** Grafana's proxy to the sidecar; the routes in plugin.json add the API token. */
export const SIDECAR_PROXY = `/api/plugin-proxy/${pluginJson.id}/sidecar`;

export const ROUTES = {
  sources: 'sources',
  backfills: 'backfills',
  detections: 'detections',
} as const;
