// docker-compose.yml cannot run here (no Docker): it is checked the way Compose reads it, and
// the sidecar's part of it is fed to the sidecar's real config loader.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/sidecar/config/load';
import { ROOT } from './harness/processes';

// js-yaml ships no types (it comes with eslint, a dev dependency).
const { load } = require('js-yaml') as { load(text: string): unknown };

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string | string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  network_mode?: string;
  healthcheck?: { test: string[] };
  deploy?: { replicas: number | string };
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const compose = load(read('docker-compose.yml')) as { name: string; services: Record<string, Service>; volumes: Record<string, unknown> };
const appId = (JSON.parse(read('src/plugin.json')) as { id: string }).id;
const dsId = (JSON.parse(read('src/datasource/plugin.json')) as { id: string }).id;
const grafanaDependency = (JSON.parse(read('src/plugin.json')) as { dependencies: { grafanaDependency: string } }).dependencies.grafanaDependency;

/** Compose's variable substitution: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}. */
function substitute(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g, (_whole, name: string, op: string | undefined, arg: string | undefined) => {
    const set = env[name];
    switch (op) {
      case ':-':
        return set ? set : (arg ?? '');
      case '-':
        return set !== undefined ? set : (arg ?? '');
      case ':?':
        if (!set) {
          throw new Error(`${name}: ${arg}`);
        }
        return set;
      default:
        return set ?? '';
    }
  });
}

describe('docker-compose.yml', () => {
  const { grafana, sidecar, emulator, clickhouse, workers } = compose.services;

  it('runs Grafana, the sidecar and the emulator, with ClickHouse in an optional profile', () => {
    expect(compose.name).toBe('lookback');
    expect(Object.keys(compose.services).sort()).toEqual(['clickhouse', 'emulator', 'grafana', 'sidecar', 'workers']);
    expect(grafana.profiles).toBeUndefined();
    expect(sidecar.profiles).toBeUndefined();
    expect(clickhouse.profiles).toEqual(['clickhouse']);
    expect(workers.profiles).toEqual(['clickhouse']);
    expect(clickhouse.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.\d+$/);
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, hasImageOrBuild: Boolean(service.image || service.build) }).toEqual({ name, hasImageOrBuild: true });
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        expect(source.startsWith('./') || source in compose.volumes).toBe(true);
      }
    }
  });

  it('pins a Grafana the plugin supports, loads the built plugin unsigned and mounts provisioning', () => {
    const version = /^grafana\/grafana:(\d+)\.(\d+)\.(\d+)$/.exec(grafana.image ?? '');
    expect(version).not.toBeNull();
    expect(Number(version![1])).toBeGreaterThanOrEqual(Number(/>=(\d+)/.exec(grafanaDependency)![1]));
    expect(grafana.volumes).toEqual(expect.arrayContaining([`./dist:/var/lib/grafana/plugins/${appId}:ro`, './provisioning:/etc/grafana/provisioning:ro']));
    expect(grafana.environment?.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS.split(',').sort()).toEqual([appId, dsId].sort());
    expect(grafana.depends_on).toEqual({ sidecar: { condition: 'service_healthy' } });
    expect(sidecar.healthcheck?.test.join(' ')).toContain('/api/health');
  });

  it("gives provisioning the sidecar's URL and token from the environment", () => {
    const env = { LOOKBACK_API_TOKEN: 'a-token-of-twenty-four-c' };
    const grafanaEnv = Object.fromEntries(Object.entries(grafana.environment ?? {}).map(([k, v]) => [k, substitute(v, env)]));
    expect(grafanaEnv.LOOKBACK_SIDECAR_URL).toBe('http://sidecar:8089');
    expect(grafanaEnv.LOOKBACK_API_TOKEN).toBe(env.LOOKBACK_API_TOKEN);
    expect(() => substitute(grafana.environment!.LOOKBACK_API_TOKEN, {})).toThrow(/LOOKBACK_API_TOKEN: set LOOKBACK_API_TOKEN/);

    const apps = load(read('provisioning/plugins/apps.yaml')) as {
      apps: Array<{ type: string; disabled: boolean; jsonData: Record<string, string>; secureJsonData: Record<string, string> }>;
    };
    expect(apps.apps).toEqual([
      expect.objectContaining({
        type: appId,
        disabled: false,
        jsonData: { sidecarUrl: '${LOOKBACK_SIDECAR_URL}' },
        secureJsonData: { apiToken: '${LOOKBACK_API_TOKEN}' },
      }),
    ]);
    const datasources = load(read('provisioning/datasources/lookback.yaml')) as {
      datasources: Array<{ type: string; access: string; jsonData: Record<string, unknown>; secureJsonData: Record<string, string> }>;
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({
        type: dsId,
        access: 'proxy',
        jsonData: expect.objectContaining({ sidecarUrl: '${LOOKBACK_SIDECAR_URL}' }),
        secureJsonData: { apiToken: '${LOOKBACK_API_TOKEN}' },
      }),
    ]);
  });

  it('configures the sidecar with settings its own config loader accepts, listening where Grafana looks', () => {
    const env = { LOOKBACK_API_TOKEN: 'a-token-of-twenty-four-c' };
    const sidecarEnv = Object.fromEntries(Object.entries(sidecar.environment ?? {}).map(([k, v]) => [k, substitute(v, env)]));
    const config = loadConfig(undefined, sidecarEnv);
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8089 });
    expect(config.apiToken).toBe(env.LOOKBACK_API_TOKEN);
    expect(config.dataDir).toBe('/data');
    expect(config.aws.endpoint).toBe('http://127.0.0.1:4566');
    expect(config.store.kind).toBe('chdb');
    expect(sidecar.volumes).toContain('lookback-data:/data');
    // LOOKBACK_STORE_KIND=clickhouse: the clickhouse profile's server, with its database and user.
    const onServer = Object.fromEntries(
      Object.entries(sidecar.environment ?? {}).map(([k, v]) => [k, substitute(v, { ...env, LOOKBACK_STORE_KIND: 'clickhouse' })])
    );
    expect(loadConfig(undefined, onServer).store).toEqual({
      kind: 'clickhouse',
      url: 'http://clickhouse:8123',
      username: 'lookback',
      password: 'lookback',
      database: 'lookback',
      lockWaitSeconds: 10,
    });
    expect(clickhouse.environment).toMatchObject({
      CLICKHOUSE_DB: 'lookback',
      CLICKHOUSE_USER: 'lookback',
      CLICKHOUSE_PASSWORD: '${CLICKHOUSE_PASSWORD:-lookback}',
    });
    const [major, minor] = (clickhouse.image ?? '').split(':')[1].split('.').map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(2602);
    // Against AWS: an empty endpoint means AWS itself.
    expect(
      loadConfig(
        undefined,
        Object.fromEntries(Object.entries(sidecar.environment ?? {}).map(([k, v]) => [k, substitute(v, { ...env, LOOKBACK_AWS_ENDPOINT: '' })]))
      ).aws.endpoint
    ).toBeUndefined();

    const command = substitute(String(sidecar.command), {}).split(/\s+/);
    expect(command[0]).toBe('demo');
    expect(command[command.indexOf('--data-dir') + 1].startsWith('/data/')).toBe(true);
    expect(substitute(String(sidecar.command), { LOOKBACK_COMMAND: 'serve' })).toBe('serve');
    expect(emulator).toMatchObject({ profiles: ['emulator'], command: ['emulator', '--port', '4566'], network_mode: 'service:sidecar' });
  });

  it('runs two ingest-only replicas on the clickhouse profile, on the same server, queues and token as the sidecar', () => {
    const env = { LOOKBACK_API_TOKEN: 'a-token-of-twenty-four-c', LOOKBACK_AWS_ENDPOINT: '' };
    expect(workers.deploy?.replicas).toBe(2);
    expect(workers.command).toEqual(['serve']);
    expect(workers.ports).toBeUndefined();
    expect(workers.depends_on).toEqual(['clickhouse']);
    expect(workers.healthcheck?.test.join(' ')).toContain('/api/health');
    const resolve = (service: Service) =>
      loadConfig(undefined, Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, substitute(v, env)])));
    const worker = resolve(workers);
    const apiSidecar = resolve(sidecar);
    expect(worker.roles).toEqual(['ingest']);
    expect(apiSidecar.roles).toEqual(['api', 'ingest']);
    expect(worker.store).toEqual({ ...resolve({ environment: { ...sidecar.environment, LOOKBACK_STORE_KIND: 'clickhouse' } }).store });
    expect(worker.apiToken).toBe(apiSidecar.apiToken);
    expect(worker.aws.region).toBe(apiSidecar.aws.region);
  });

  it('builds the sidecar image from a Dockerfile on the current Node LTS', () => {
    expect(sidecar.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    const dockerfile = read('Dockerfile');
    const node = Number(/^ARG NODE_VERSION=(\d+)$/m.exec(dockerfile)?.[1]);
    expect(node % 2).toBe(0);
    expect(node).toBeGreaterThanOrEqual(24);
    expect(dockerfile.match(/^FROM node:\$\{NODE_VERSION\}-bookworm-slim/gm)).toHaveLength(2);
    for (const [, path] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) {
      expect({ path, exists: existsSync(join(ROOT, path)) }).toEqual({ path, exists: true });
    }
    expect(dockerfile).toContain('ENTRYPOINT ["node", "bin/lookback.js"]');
    expect(existsSync(join(ROOT, 'bin', 'lookback.js'))).toBe(true);
  });

  it("replaces the scaffold's Grafana-only compose setup", () => {
    for (const gone of ['.config/docker-compose-base.yaml', '.config/Dockerfile', '.config/entrypoint.sh', '.config/supervisord']) {
      expect({ gone, exists: existsSync(join(ROOT, gone)) }).toEqual({ gone, exists: false });
    }
  });
});
