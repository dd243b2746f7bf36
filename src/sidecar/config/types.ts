import type { Source } from '../../shared/api';

export interface AwsConfig {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface IngestConfig {
  liveConcurrency: number;
  backfillConcurrency: number;
  waitTimeSeconds: number;
  visibilityTimeoutSeconds: number;
  insertBatchRows: number;
  shutdownGraceSeconds: number;
}

export interface LookbackConfig {
  /** `allowedHosts`: the Host names the API answers to (api/hosts.ts decides when unset). */
  listen: { host: string; port: number; allowedHosts?: string[] };
  apiToken?: string;
  dataDir: string;
  store: { kind: 'chdb'; path?: string };
  aws: AwsConfig;
  ingest: IngestConfig;
  /** Searches through the API: stopped after `maxExecutionSeconds` (keep it below Grafana's `[dataproxy] timeout`). */
  query: { maxExecutionSeconds: number };
  sources: Source[];
}
