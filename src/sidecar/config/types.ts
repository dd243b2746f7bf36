import type { Source } from '../../shared/api';
import type { ChannelType, Severity } from '../../shared/detections';

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
  /**
   * How long a live object waits for others to share its insert (0: each its own, but one recorded
   * in a group is still inserted with it). Only on the embedded store: ingest/liveGroups.ts says why.
   */
  liveGroupMs: number;
  shutdownGraceSeconds: number;
  /** Decompressed bytes read from one object at most; the events before the limit are kept. */
  maxObjectBytes: number;
  /** Records (events and malformed ones) read from one object at most. */
  maxObjectRecords: number;
  /** Keys per ListObjectsV2 page of a backfill's listing: one listing unit lists one page. */
  listPageSize: number;
}

export interface StoreConfig {
  kind: 'chdb' | 'clickhouse';
  /** chdb: the data directory (default `<dataDir>/chdb`). */
  path?: string;
  /** chdb: how long to wait at start for a process still holding the store (one just killed) to exit. */
  lockWaitSeconds: number;
  /** clickhouse: the server's HTTP(S) interface, e.g. `https://clickhouse.internal:8443`. */
  url?: string;
  username?: string;
  password?: string;
  database?: string;
  /** clickhouse: the cluster (remote_servers) the tables are replicated and sharded across. */
  cluster?: string;
  /** clickhouse over https: PEM files of the server's CA, and of the client for mutual TLS. */
  tls?: { caFile: string; certFile?: string; keyFile?: string };
  requestTimeoutSeconds?: number;
}

/** What a sidecar does: `api` serves the HTTP API and starts backfills; `ingest` polls the queues (live, backfill and listing work). */
export type Role = 'api' | 'ingest';

export interface LookbackConfig {
  /** Default both. Every sidecar listens: one without `api` answers only `/api/health` and `/metrics`. */
  roles: Role[];
  /** `allowedHosts`: the Host names the API answers to (api/hosts.ts decides when unset). */
  listen: { host: string; port: number; allowedHosts?: string[] };
  apiToken?: string;
  /** `public`: /metrics answers without the API token (for a scraper on a private network); default false. */
  metrics: { public: boolean };
  dataDir: string;
  store: StoreConfig;
  aws: AwsConfig;
  ingest: IngestConfig;
  /** Searches through the API: stopped after `maxExecutionSeconds` (keep it below Grafana's `[dataproxy] timeout`). */
  query: { maxExecutionSeconds: number };
  sources: Source[];
  detect: DetectConfig;
}

export interface NotificationChannelConfig {
  name: string;
  type: ChannelType;
  url: string;
  headers?: Record<string, string>;
  minSeverity: Severity;
}

export interface DetectConfig {
  /** Run the rules on their schedule (false: detections, rules and hunts are still served). */
  enabled: boolean;
  /** Load the rule pack Lookback ships (`rules/`). */
  pack: boolean;
  /** More rule files and directories (Sigma and native rules), e.g. a checkout of SigmaHQ's AWS rules. */
  rulePaths: string[];
  /** How often the scheduler looks for rules due to run. */
  tickSeconds: number;
  /** Received time this recent is not checked yet (events still being inserted may carry it). */
  settleSeconds: number;
  notifications: {
    channels: NotificationChannelConfig[];
    /** The Grafana that has the Lookback data source: notifications link to the detection's events in its Explore. */
    grafanaUrl?: string;
    datasourceUid?: string;
  };
}
