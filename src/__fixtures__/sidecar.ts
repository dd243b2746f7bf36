// Responses of a real sidecar (lookback 0.1.0 with the fauxqs emulator and chDB), captured on
// 2026-11-27: two sources (CloudTrail from the config file, ALB added through POST /api/sources),
// two days of generated logs plus a broken object and one with a malformed record, a two-hour
// CloudTrail backfill run to the end, a two-day ALB backfill seen running and then cancelled.
// Only the field catalog was shortened, and is kept as data in fields.json. The types check the
// others against the shared API contract.
import type { ApiError, HealthResponse, LedgerEntry, Source } from '../shared/api';
import type { Backfill, BackfillEstimate, FieldErrorsBody, SourceStatus } from '../shared/backfill';
import type { FieldsResponse, FieldValuesResponse, QueryErrorBody } from '../shared/query';
import capturedFields from './fields.json';

export const health: HealthResponse = {
  status: 'ok',
  version: '0.1.0',
  store: {
    name: 'store (chdb)',
    status: 'ok',
  },
  queues: [
    {
      name: 'alb live queue',
      status: 'ok',
      detail: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-alb-live: 0 waiting, 0 in flight',
    },
    {
      name: 'alb backfill queue',
      status: 'ok',
      detail: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-alb-backfill: 1124 waiting, 1 in flight',
    },
    {
      name: 'cloudtrail live queue',
      status: 'ok',
      detail: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-cloudtrail-live: 0 waiting, 0 in flight',
    },
    {
      name: 'cloudtrail backfill queue',
      status: 'ok',
      detail: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-cloudtrail-backfill: 0 waiting, 0 in flight',
    },
  ],
  ingest: {
    objectsOk: 49,
    objectsFailed: 1,
    objectsSkipped: 0,
    events: 1226,
    malformed: 2,
    rejectedMessages: 0,
  },
};

export const sources: SourceStatus[] = [
  {
    source: {
      id: 'alb',
      logType: 'alb',
      bucket: 'acme-alb',
      region: 'us-east-1',
      liveQueueUrl: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-alb-live',
      backfillQueueUrl: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-alb-backfill',
      managedBy: 'api',
    },
    lastEventTime: '2026-11-25T09:59:55.659Z',
    eventsLast24h: 457,
    liveQueue: {
      visible: 0,
      inFlight: 0,
    },
    backfillQueue: {
      visible: 1126,
      inFlight: 1,
    },
    failedObjects: 0,
    malformedRecords: 0,
  },
  {
    source: {
      id: 'cloudtrail',
      logType: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      region: 'us-east-1',
      liveQueueUrl: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-cloudtrail-live',
      backfillQueueUrl: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-cloudtrail-backfill',
      managedBy: 'config',
    },
    lastEventTime: '2026-11-27T08:59:53.000Z',
    eventsLast24h: 769,
    liveQueue: {
      visible: 0,
      inFlight: 0,
    },
    backfillQueue: {
      visible: 0,
      inFlight: 0,
    },
    failedObjects: 1,
    malformedRecords: 2,
  },
];

export const createdSource: Source = {
  id: 'alb',
  logType: 'alb',
  bucket: 'acme-alb',
  region: 'us-east-1',
  liveQueueUrl: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-alb-live',
  backfillQueueUrl: 'http://sqs.us-east-1.localhost:46209/000000000000/lookback-alb-backfill',
  managedBy: 'api',
};

export const invalidSource: FieldErrorsBody = {
  statusCode: 400,
  error: 'Bad Request',
  message:
    'id: must match pattern "^[a-z0-9][a-z0-9_-]{0,62}$"; logType: must be one of: auto, cloudtrail, alb, alb_connection, elb, nlb, vpcflow, s3access, cloudfront, waf, route53resolver, guardduty, json, text',
  fields: [
    {
      field: 'id',
      message: 'must match pattern "^[a-z0-9][a-z0-9_-]{0,62}$"',
    },
    {
      field: 'logType',
      message: 'must be one of: auto, cloudtrail, alb, alb_connection, elb, nlb, vpcflow, s3access, cloudfront, waf, route53resolver, guardduty, json, text',
    },
  ],
};

export const missingBucket: FieldErrorsBody = {
  statusCode: 400,
  error: 'Bad Request',
  message: 'bucket: bucket "does-not-exist-here" does not exist',
  fields: [
    {
      field: 'bucket',
      message: 'bucket "does-not-exist-here" does not exist',
    },
  ],
};

export const estimate: BackfillEstimate = {
  prefixes: ['AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/'],
  objects: 26,
  bytes: 150112,
  expectedSeconds: null,
};

export const invalidBackfill: FieldErrorsBody = {
  statusCode: 400,
  error: 'Bad Request',
  message: 'sourceId: no source "nope" (known: alb, cloudtrail); to: must be after from (2026-11-27T09:00:00.000Z), got 2026-11-27T07:00:00.000Z',
  fields: [
    {
      field: 'sourceId',
      message: 'no source "nope" (known: alb, cloudtrail)',
    },
    {
      field: 'to',
      message: 'must be after from (2026-11-27T09:00:00.000Z), got 2026-11-27T07:00:00.000Z',
    },
  ],
};

export const startedBackfill: Backfill = {
  id: 'bf-20261127T094804-dcf5af',
  sourceId: 'cloudtrail',
  bucket: 'acme-cloudtrail',
  region: 'us-east-1',
  prefixes: [],
  from: '2026-11-27T07:00:00.000Z',
  to: '2026-11-27T09:00:00.000Z',
  order: 'newest',
  state: 'listing',
  error: null,
  createdAt: '2026-11-27T09:48:04.421Z',
  updatedAt: '2026-11-27T09:48:04.426Z',
  finishedAt: null,
  counters: {
    listed: 0,
    enqueued: 0,
    processed: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    bytesListed: 0,
    bytesProcessed: 0,
    events: 0,
    malformed: 0,
    ignored: 0,
    deadLettered: 0,
  },
  eventsPerSecond: 0,
  etaSeconds: null,
  coverage: {
    from: null,
    to: null,
  },
  firstEventAfterMs: null,
  roleArn: null,
  marginMinutes: 15,
  listing: {
    units: 1,
    unitsDone: 0,
  },
};

export const runningBackfills: { backfills: Backfill[] } = {
  backfills: [
    {
      id: 'bf-20261127T094806-32e404',
      sourceId: 'alb',
      bucket: 'acme-alb',
      region: 'us-east-1',
      prefixes: [],
      from: '2026-11-25T09:00:00.000Z',
      to: '2026-11-27T09:00:00.000Z',
      order: 'oldest',
      state: 'running',
      error: null,
      createdAt: '2026-11-27T09:48:06.673Z',
      updatedAt: '2026-11-27T09:48:07.320Z',
      finishedAt: null,
      counters: {
        listed: 1152,
        enqueued: 1152,
        processed: 22,
        failed: 0,
        skipped: 0,
        cancelled: 0,
        bytesListed: 2667444,
        bytesProcessed: 54323,
        events: 411,
        malformed: 0,
        ignored: 0,
        deadLettered: 0,
      },
      eventsPerSecond: 317,
      etaSeconds: 48,
      coverage: {
        from: '2026-11-25T09:00:02.400Z',
        to: '2026-11-25T09:54:47.434Z',
      },
      firstEventAfterMs: 355,
      roleArn: null,
      marginMinutes: 10,
      listing: {
        units: 3,
        unitsDone: 3,
      },
    },
  ],
};

export const finishedBackfills: { backfills: Backfill[] } = {
  backfills: [
    {
      id: 'bf-20261127T094806-32e404',
      sourceId: 'alb',
      bucket: 'acme-alb',
      region: 'us-east-1',
      prefixes: [],
      from: '2026-11-25T09:00:00.000Z',
      to: '2026-11-27T09:00:00.000Z',
      order: 'oldest',
      state: 'cancelled',
      error: null,
      createdAt: '2026-11-27T09:48:06.673Z',
      updatedAt: '2026-11-27T09:48:07.983Z',
      finishedAt: '2026-11-27T09:48:07.983Z',
      counters: {
        listed: 1152,
        enqueued: 1152,
        processed: 24,
        failed: 0,
        skipped: 0,
        cancelled: 1,
        bytesListed: 2667444,
        bytesProcessed: 60064,
        events: 457,
        malformed: 0,
        ignored: 0,
        deadLettered: 0,
      },
      eventsPerSecond: 349,
      etaSeconds: 0,
      coverage: {
        from: '2026-11-25T09:00:02.400Z',
        to: '2026-11-25T09:59:55.659Z',
      },
      firstEventAfterMs: 355,
      roleArn: null,
      marginMinutes: 10,
      listing: {
        units: 3,
        unitsDone: 3,
      },
    },
    {
      id: 'bf-20261127T094804-dcf5af',
      sourceId: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      region: 'us-east-1',
      prefixes: [],
      from: '2026-11-27T07:00:00.000Z',
      to: '2026-11-27T09:00:00.000Z',
      order: 'newest',
      state: 'done',
      error: null,
      createdAt: '2026-11-27T09:48:04.421Z',
      updatedAt: '2026-11-27T09:48:06.164Z',
      finishedAt: '2026-11-27T09:48:05.232Z',
      counters: {
        listed: 26,
        enqueued: 26,
        processed: 25,
        failed: 1,
        skipped: 0,
        cancelled: 0,
        bytesListed: 150112,
        bytesProcessed: 150087,
        events: 769,
        malformed: 2,
        ignored: 84,
        deadLettered: 0,
      },
      eventsPerSecond: 948,
      etaSeconds: 0,
      coverage: {
        from: '2026-11-27T07:00:05.000Z',
        to: '2026-11-27T08:59:53.000Z',
      },
      firstEventAfterMs: 92,
      roleArn: null,
      marginMinutes: 15,
      listing: {
        units: 1,
        unitsDone: 1,
      },
    },
  ],
};

export const cancelledBackfill: Backfill = {
  id: 'bf-20261127T094806-32e404',
  sourceId: 'alb',
  bucket: 'acme-alb',
  region: 'us-east-1',
  prefixes: [],
  from: '2026-11-25T09:00:00.000Z',
  to: '2026-11-27T09:00:00.000Z',
  order: 'oldest',
  state: 'cancelled',
  error: null,
  createdAt: '2026-11-27T09:48:06.673Z',
  updatedAt: '2026-11-27T09:48:07.983Z',
  finishedAt: '2026-11-27T09:48:07.983Z',
  counters: {
    listed: 1152,
    enqueued: 1152,
    processed: 23,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    bytesListed: 2667444,
    bytesProcessed: 57185,
    events: 434,
    malformed: 0,
    ignored: 0,
    deadLettered: 0,
  },
  eventsPerSecond: 331,
  etaSeconds: 0,
  coverage: {
    from: '2026-11-25T09:00:02.400Z',
    to: '2026-11-25T09:59:54.383Z',
  },
  firstEventAfterMs: 355,
  roleArn: null,
  marginMinutes: 10,
  listing: {
    units: 3,
    unitsDone: 3,
  },
};

export const cancelConflict: ApiError = {
  statusCode: 409,
  error: 'Conflict',
  message: 'backfill bf-20261127T094806-32e404 is already cancelled',
};

export const ingestedObjects: { objects: LedgerEntry[] } = {
  objects: [
    {
      sourceId: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      key: 'AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/573797898131_CloudTrail_us-east-1_20261127T0830Z_partial.json.gz',
      etag: '58287c9af9eb79847a047d6d56de0524',
      size: 249,
      logType: 'cloudtrail',
      status: 'ok',
      events: 1,
      malformed: 1,
      malformedSamples: [
        {
          record: 2,
          reason: 'eventTime "yesterday-ish" is not a valid time',
          sample: '{"eventVersion":"1.08","eventTime":"yesterday-ish","eventName":"GetObject"}',
        },
      ],
      error: '',
      minTime: '2026-11-27T08:30:00.000Z',
      maxTime: '2026-11-27T08:30:00.000Z',
      backfillId: 'bf-20261127T094804-dcf5af',
      processedAt: '2026-11-27T09:48:04.633Z',
      durationMs: 10,
    },
    {
      sourceId: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      key: 'AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/573797898131_CloudTrail_us-east-1_20261127T0830Z_broken.json.gz',
      etag: '6333d9342b567af4e369468230fdb2cf',
      size: 25,
      logType: 'cloudtrail',
      status: 'failed',
      events: 0,
      malformed: 1,
      malformedSamples: [
        {
          record: 1,
          reason: 'not a JSON record',
          sample: 'this is not gzip nor json',
        },
      ],
      error: 'no record could be parsed as cloudtrail: not a JSON record',
      minTime: null,
      maxTime: null,
      backfillId: 'bf-20261127T094804-dcf5af',
      processedAt: '2026-11-27T09:48:04.609Z',
      durationMs: 5,
    },
    {
      sourceId: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      key: 'AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/573797898131_CloudTrail_us-east-1_20261127T0700Z_EI2uzbCdvtNQBkCE.json.gz',
      etag: 'b9e7fbf2fd477fae0fedf23cb0869c34',
      size: 6271,
      logType: 'cloudtrail',
      status: 'ok',
      events: 33,
      malformed: 0,
      malformedSamples: [],
      error: '',
      minTime: '2026-11-27T07:00:05.000Z',
      maxTime: '2026-11-27T07:04:52.000Z',
      backfillId: 'bf-20261127T094804-dcf5af',
      processedAt: '2026-11-27T09:48:05.227Z',
      durationMs: 20,
    },
    {
      sourceId: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      key: 'AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/573797898131_CloudTrail_us-east-1_20261127T0705Z_mXRhxHRI1Zu4WqHs.json.gz',
      etag: 'acbe74f386a3a7f3d119025097b26f71',
      size: 6043,
      logType: 'cloudtrail',
      status: 'ok',
      events: 29,
      malformed: 0,
      malformedSamples: [],
      error: '',
      minTime: '2026-11-27T07:05:05.000Z',
      maxTime: '2026-11-27T07:09:57.000Z',
      backfillId: 'bf-20261127T094804-dcf5af',
      processedAt: '2026-11-27T09:48:05.198Z',
      durationMs: 11,
    },
    {
      sourceId: 'cloudtrail',
      bucket: 'acme-cloudtrail',
      key: 'AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/573797898131_CloudTrail_us-east-1_20261127T0710Z_KGNxaBsEvTHpKbwh.json.gz',
      etag: '46a9850f2765e70a50675cb1c5b0a01d',
      size: 6569,
      logType: 'cloudtrail',
      status: 'ok',
      events: 32,
      malformed: 0,
      malformedSamples: [],
      error: '',
      minTime: '2026-11-27T07:10:08.000Z',
      maxTime: '2026-11-27T07:14:48.000Z',
      backfillId: 'bf-20261127T094804-dcf5af',
      processedAt: '2026-11-27T09:48:05.170Z',
      durationMs: 19,
    },
  ],
};

/** `GET /api/fields`: every table's columns and the field keys seen in the data above (fields.json). */
export const fields = capturedFields as FieldsResponse;

export const fieldValues: FieldValuesResponse = {
  field: 'eventName',
  values: [
    {
      value: 'Decrypt',
      count: 135,
    },
    {
      value: 'GetObject',
      count: 83,
    },
    {
      value: 'AssumeRole',
      count: 61,
    },
    {
      value: 'PutObject',
      count: 56,
    },
    {
      value: 'DescribeInstances',
      count: 48,
    },
  ],
};

export const queryError: QueryErrorBody = {
  statusCode: 400,
  error: 'Bad Request',
  message: 'line 2, column 3: unknown operator "whre" (did you mean "where"?)',
  position: {
    line: 2,
    column: 3,
    offset: 13,
    length: 4,
  },
  expected: [
    'where',
    'filter',
    'search',
    'project',
    'project-away',
    'project-rename',
    'extend',
    'summarize',
    'sort',
    'order',
    'top',
    'take',
    'limit',
    'count',
    'distinct',
    'mv-expand',
    'parse',
  ],
};

/** What `/api/objects?problems=true` answers for the objects above: those that failed or had malformed records. */
export const problemObjects: { objects: LedgerEntry[] } = {
  objects: ingestedObjects.objects.filter((o) => o.status === 'failed' || o.malformed > 0),
};
