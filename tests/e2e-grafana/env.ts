// Where the suite finds what it tests; every value can be set in the environment (README.md).

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`set ${name} (see tests/e2e-grafana/README.md)`);
  }
  return value;
}

export const e2eEnv = {
  /** The sidecar's API token, as in the .env file docker compose reads. */
  get apiToken(): string {
    return required('LOOKBACK_API_TOKEN');
  },
  /** The sidecar as Grafana's server reaches it (what the app and the data source are configured with). */
  sidecarUrlForGrafana: process.env.LOOKBACK_SIDECAR_URL ?? 'http://sidecar:8089',
  /** The sidecar as this test process reaches it, to check what the pages did. */
  sidecarUrl: process.env.LOOKBACK_E2E_SIDECAR_URL ?? 'http://127.0.0.1:8089',
  /** The provisioned Lookback data source. */
  dataSourceUid: process.env.LOOKBACK_E2E_DATASOURCE_UID ?? 'lookback',
  dataSourceName: process.env.LOOKBACK_E2E_DATASOURCE_NAME ?? 'Lookback',
};
