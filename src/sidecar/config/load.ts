import { readFileSync } from 'node:fs';
import { queueUrlErrors } from '../sources/queueUrls';
import { vpcFlowFormatErrors } from '../sources/vpcFlowFormat';
import { configSchema } from './schema';
import type { LookbackConfig } from './types';
import { ajv, validationErrors } from './validate';
import { OperatorError } from '../operatorError';

export class ConfigError extends OperatorError {}

type EnvKind = 'string' | 'int' | 'bool' | 'json' | 'list';

/** `LOOKBACK_*` variables and the config field each one sets. */
const ENV_FIELDS: Array<[string, string[], EnvKind]> = [
  ['LOOKBACK_ROLES', ['roles'], 'list'],
  ['LOOKBACK_LISTEN_HOST', ['listen', 'host'], 'string'],
  ['LOOKBACK_LISTEN_PORT', ['listen', 'port'], 'int'],
  ['LOOKBACK_LISTEN_ALLOWED_HOSTS', ['listen', 'allowedHosts'], 'list'],
  ['LOOKBACK_API_TOKEN', ['apiToken'], 'string'],
  ['LOOKBACK_METRICS_PUBLIC', ['metrics', 'public'], 'bool'],
  ['LOOKBACK_DATA_DIR', ['dataDir'], 'string'],
  ['LOOKBACK_STORE_KIND', ['store', 'kind'], 'string'],
  ['LOOKBACK_STORE_PATH', ['store', 'path'], 'string'],
  ['LOOKBACK_STORE_URL', ['store', 'url'], 'string'],
  ['LOOKBACK_STORE_USERNAME', ['store', 'username'], 'string'],
  ['LOOKBACK_STORE_PASSWORD', ['store', 'password'], 'string'],
  ['LOOKBACK_STORE_DATABASE', ['store', 'database'], 'string'],
  ['LOOKBACK_STORE_CLUSTER', ['store', 'cluster'], 'string'],
  ['LOOKBACK_STORE_TLS_CA_FILE', ['store', 'tls', 'caFile'], 'string'],
  ['LOOKBACK_STORE_TLS_CERT_FILE', ['store', 'tls', 'certFile'], 'string'],
  ['LOOKBACK_STORE_TLS_KEY_FILE', ['store', 'tls', 'keyFile'], 'string'],
  ['LOOKBACK_STORE_REQUEST_TIMEOUT_SECONDS', ['store', 'requestTimeoutSeconds'], 'int'],
  ['LOOKBACK_STORE_LOCK_WAIT_SECONDS', ['store', 'lockWaitSeconds'], 'int'],
  ['LOOKBACK_AWS_REGION', ['aws', 'region'], 'string'],
  ['LOOKBACK_AWS_ENDPOINT', ['aws', 'endpoint'], 'string'],
  ['LOOKBACK_AWS_FORCE_PATH_STYLE', ['aws', 'forcePathStyle'], 'bool'],
  ['LOOKBACK_AWS_ACCESS_KEY_ID', ['aws', 'accessKeyId'], 'string'],
  ['LOOKBACK_AWS_SECRET_ACCESS_KEY', ['aws', 'secretAccessKey'], 'string'],
  ['LOOKBACK_LIVE_CONCURRENCY', ['ingest', 'liveConcurrency'], 'int'],
  ['LOOKBACK_LIVE_GROUP_MS', ['ingest', 'liveGroupMs'], 'int'],
  ['LOOKBACK_BACKFILL_CONCURRENCY', ['ingest', 'backfillConcurrency'], 'int'],
  ['LOOKBACK_WAIT_TIME_SECONDS', ['ingest', 'waitTimeSeconds'], 'int'],
  ['LOOKBACK_VISIBILITY_TIMEOUT_SECONDS', ['ingest', 'visibilityTimeoutSeconds'], 'int'],
  ['LOOKBACK_QUERY_MAX_EXECUTION_SECONDS', ['query', 'maxExecutionSeconds'], 'int'],
  ['LOOKBACK_MAX_OBJECT_BYTES', ['ingest', 'maxObjectBytes'], 'int'],
  ['LOOKBACK_MAX_OBJECT_RECORDS', ['ingest', 'maxObjectRecords'], 'int'],
  ['LOOKBACK_LIST_PAGE_SIZE', ['ingest', 'listPageSize'], 'int'],
  ['LOOKBACK_SOURCES', ['sources'], 'json'],
  ['LOOKBACK_DETECT_ENABLED', ['detect', 'enabled'], 'bool'],
  ['LOOKBACK_DETECT_PACK', ['detect', 'pack'], 'bool'],
  ['LOOKBACK_RULE_PATHS', ['detect', 'rulePaths'], 'json'],
  ['LOOKBACK_NOTIFY_CHANNELS', ['detect', 'notifications', 'channels'], 'json'],
  ['LOOKBACK_GRAFANA_URL', ['detect', 'notifications', 'grafanaUrl'], 'string'],
];

const validateConfig = ajv.compile(configSchema);

function parseEnvValue(name: string, raw: string, kind: EnvKind): unknown {
  switch (kind) {
    case 'int':
      if (!/^\d+$/.test(raw.trim())) {
        throw new ConfigError(`invalid config: ${name}: must be a whole number, got "${raw}"`);
      }
      return Number(raw);
    case 'bool':
      if (!/^(true|false|1|0)$/i.test(raw.trim())) {
        throw new ConfigError(`invalid config: ${name}: must be true or false, got "${raw}"`);
      }
      return /^(true|1)$/i.test(raw.trim());
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    case 'json':
      try {
        return JSON.parse(raw);
      } catch (err) {
        throw new ConfigError(`invalid config: ${name}: not valid JSON (${(err as Error).message})`);
      }
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`invalid config: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`invalid config: ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`invalid config: ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads the config file (if any), applies `LOOKBACK_*` variables over it, fills defaults and
 * validates. Throws a ConfigError whose message names the first bad field.
 */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): LookbackConfig {
  const configFile = file ?? env.LOOKBACK_CONFIG;
  const raw = configFile ? readConfigFile(configFile) : {};
  for (const [name, path, kind] of ENV_FIELDS) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      setPath(raw, path, parseEnvValue(name, value, kind));
    }
  }
  if (!validateConfig(raw)) {
    const [first] = validationErrors(validateConfig);
    const where = configFile ? ` (in ${configFile} or LOOKBACK_* variables)` : '';
    throw new ConfigError(`invalid config: ${first.field}: ${first.message}${where}`);
  }
  const config = raw as unknown as LookbackConfig;
  checkSources(config);
  return config;
}

function checkSources(config: LookbackConfig): void {
  const seen = new Set<string>();
  config.sources.forEach((source, i) => {
    if (seen.has(source.id)) {
      throw new ConfigError(`invalid config: sources[${i}].id: "${source.id}" is used by another source`);
    }
    seen.add(source.id);
    const [refused] = [...queueUrlErrors(source, config.aws.endpoint, `sources[${i}].`), ...vpcFlowFormatErrors(source, `sources[${i}].`)];
    if (refused) {
      throw new ConfigError(`invalid config: ${refused.field}: ${refused.message}`);
    }
    source.logType ??= 'auto';
    source.region ??= config.aws.region;
  });
}
