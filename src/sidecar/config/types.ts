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
  /** Decompressed bytes read from one object at most; the events before the limit are kept. */
  maxObjectBytes: number;
  /** Records (events and malformed ones) read from one object at most. */
  maxObjectRecords: number;
}

export interface LookbackConfig {
  listen: { host: string; port: number };
  apiToken?: string;
  dataDir: string;
  /** `lockWaitSeconds`: how long to wait at start for a process still holding the store (one just killed) to exit. */
  store: { kind: 'chdb'; path?: string; lockWaitSeconds: number };
  aws: AwsConfig;
  ingest: IngestConfig;
  sources: Source[];
}
