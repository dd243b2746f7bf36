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
  sources: Source[];
}
