/** The app's settings in Grafana (jsonData); the API token lives in secureJsonData.apiToken. */
export interface AppSettings {
  sidecarUrl?: string;
}
