import { LOG_TYPES } from '../../shared/api';
import { CHANNEL_TYPES, SEVERITIES } from '../../shared/detections';

/** 25 s: a search stops, with a message, before Grafana's data proxy gives up on it (30 s by default). */
export const DEFAULT_QUERY_SECONDS = 25;

/**
 * Backfill objects read at once. Their ledger lookups and rows share statements (see
 * ingest/batchedLedger.ts), and reading overlaps with the store's work. On 2 cores
 * (bench/backfill.ts) 8 was as fast as 16 and faster than 4 or 2, with less wait for a live object.
 */
export const DEFAULT_BACKFILL_CONCURRENCY = 8;

/**
 * Backfill messages worked on at once. Each is a unit of objects (backfill/pack.ts) whose reads
 * share the backfill concurrency above. A message of a listing page can be small (the demo's hold
 * about 28 objects), and then its fixed costs (ledger lookup, the last insert, ledger rows, delete)
 * are most of its time: with 2 at once the demo's 1M-event backfill took 223 s, with 4 123-148 s,
 * with 6 135-152 s, with 12 132 s, and each message beyond 4 delayed the pulled-forward hours
 * (npm start's first answer 4.7-10.5 s with 6, 6.1-7.1 s with 4).
 */
export const BACKFILL_MESSAGES = 4;

/**
 * Per-object bounds on what one S3 object may cost once decompressed. AWS writes small files: VPC
 * flow logs are cut at 75 MB per file, CloudTrail and ELB files stay within tens of MB compressed,
 * which is well under 1 GiB and a few million records after gunzip (logs compress 10-20x). 4 GiB and
 * 20 million records are several times that, so they never bite a real AWS log, and still stop a
 * gzip bomb or a mistaken 100 GB dump from holding a sidecar for hours.
 */
export const DEFAULT_MAX_OBJECT_BYTES = 4 * 1024 ** 3;
export const DEFAULT_MAX_OBJECT_RECORDS = 20_000_000;

const sourceId = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' };
const queueUrl = { type: 'string', pattern: '^https?://\\S+$' };

/** JSON schema of one source; the API validates new sources with it too. */
export const sourceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'bucket'],
  properties: {
    id: sourceId,
    logType: { type: 'string', enum: ['auto', ...LOG_TYPES], default: 'auto' },
    bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
    region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' },
    prefix: { type: 'string' },
    liveQueueUrl: queueUrl,
    backfillQueueUrl: queueUrl,
    roleArn: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/\\S+$' },
    externalId: { type: 'string', minLength: 2, maxLength: 1224 },
    timeField: { type: 'string', minLength: 1, maxLength: 256 },
    vpcFlowFormat: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    roles: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['api', 'ingest'] }, default: ['api', 'ingest'] },
    listen: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1, default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8089 },
        // Host names (no port, no scheme), IPv6 addresses, or `*` for any.
        allowedHosts: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^(\\*|[^\\s/:\\[\\]]+|\\[?[0-9a-fA-F:.]+\\]?)$' },
        },
      },
      default: {},
    },
    apiToken: { type: 'string', minLength: 16 },
    metrics: {
      type: 'object',
      additionalProperties: false,
      properties: { public: { type: 'boolean', default: false } },
      default: {},
    },
    dataDir: { type: 'string', minLength: 1, default: '.lookback' },
    store: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['chdb', 'clickhouse'], default: 'chdb' },
        // chdb
        path: { type: 'string', minLength: 1 },
        // clickhouse
        url: { type: 'string', pattern: '^https?://[^\\s/?#]+(/\\S*)?$' },
        username: { type: 'string', minLength: 1 },
        password: { type: 'string' },
        database: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' },
        cluster: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,128}$' },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['caFile'],
          properties: {
            caFile: { type: 'string', minLength: 1 },
            certFile: { type: 'string', minLength: 1 },
            keyFile: { type: 'string', minLength: 1 },
          },
          dependencies: { certFile: ['keyFile'], keyFile: ['certFile'] },
        },
        requestTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        lockWaitSeconds: { type: 'integer', minimum: 0, maximum: 600, default: 10 },
      },
      if: { properties: { kind: { const: 'clickhouse' } }, required: ['kind'] },
      then: { required: ['url'] },
      default: {},
    },
    aws: {
      type: 'object',
      additionalProperties: false,
      properties: {
        region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$', default: 'us-east-1' },
        endpoint: { type: 'string', pattern: '^https?://\\S+$' },
        forcePathStyle: { type: 'boolean' },
        accessKeyId: { type: 'string', minLength: 1 },
        secretAccessKey: { type: 'string', minLength: 1 },
      },
      default: {},
    },
    ingest: {
      type: 'object',
      additionalProperties: false,
      properties: {
        liveConcurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4 },
        backfillConcurrency: { type: 'integer', minimum: 1, maximum: 64, default: DEFAULT_BACKFILL_CONCURRENCY },
        waitTimeSeconds: { type: 'integer', minimum: 0, maximum: 20, default: 20 },
        visibilityTimeoutSeconds: { type: 'integer', minimum: 10, maximum: 43200, default: 120 },
        insertBatchRows: { type: 'integer', minimum: 1, maximum: 1000000, default: 20000 },
        liveGroupMs: { type: 'integer', minimum: 0, maximum: 10000, default: 50 },
        shutdownGraceSeconds: { type: 'integer', minimum: 0, maximum: 600, default: 25 },
        maxObjectBytes: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: DEFAULT_MAX_OBJECT_BYTES },
        maxObjectRecords: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: DEFAULT_MAX_OBJECT_RECORDS },
        listPageSize: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 },
      },
      default: {},
    },
    query: {
      type: 'object',
      additionalProperties: false,
      properties: { maxExecutionSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: DEFAULT_QUERY_SECONDS } },
      default: {},
    },
    sources: { type: 'array', items: sourceSchema, default: [] },
    detect: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: true },
        pack: { type: 'boolean', default: true },
        rulePaths: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 4096 }, maxItems: 100, default: [] },
        tickSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 15 },
        settleSeconds: { type: 'integer', minimum: 0, maximum: 3600, default: 30 },
        notifications: {
          type: 'object',
          additionalProperties: false,
          properties: {
            channels: {
              type: 'array',
              maxItems: 50,
              default: [],
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'type', 'url'],
                properties: {
                  name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
                  type: { type: 'string', enum: CHANNEL_TYPES },
                  url: { type: 'string', pattern: '^https?://\\S+$', maxLength: 4096 },
                  headers: { type: 'object', additionalProperties: { type: 'string', maxLength: 8192 }, maxProperties: 20 },
                  minSeverity: { type: 'string', enum: SEVERITIES, default: 'low' },
                },
              },
            },
            grafanaUrl: { type: 'string', pattern: '^https?://\\S+$', maxLength: 4096 },
            datasourceUid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
          },
          default: {},
        },
      },
      default: {},
    },
  },
} as const;
