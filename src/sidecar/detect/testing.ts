import type { LogType } from '../../shared/api';
import { chunksOf, objectInfo, parseAll } from '../formats/parseAll';
import { formatOf } from '../formats/registry';
import { toEventRow } from '../ingest/rows';
import { DEFAULT_LIMITS, execute } from '../query/execute';
import { openTestStore, type TestStore } from '../query/testing';
import type { EventRow } from '../store/eventColumns';
import { toClickHouseTime } from '../store/time';
import { compileRuleQuery } from './compile';
import { runRule, type RunOptions, type RunRange } from './run';
import type { DetectionRule, Hit } from './types';

/** An S3 key of each log type, as AWS writes them, for the parsers' key-derived context. */
const SAMPLE_KEYS: Partial<Record<LogType, string>> = {
  cloudtrail: 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/03/01/123456789012_CloudTrail_us-east-1_20240301T1000Z_sample.json.gz',
  guardduty: 'AWSLogs/123456789012/GuardDuty/us-east-1/2024/03/01/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b.jsonl.gz',
  vpcflow: 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/03/01/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20240301T1000Z_a1b2c3d4.log.gz',
  alb: 'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/03/01/123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20240301T1000Z_10.0.0.1_2et2e1mx.log.gz',
  s3access: 'access-logs/2024-03-01-10-00-00-0123456789ABCDEF',
  waf: 'AWSLogs/123456789012/WAFLogs/us-east-1/web-acl/2024/03/01/10/00/123456789012_waflogs_us-east-1_web-acl_20240301T1000Z_0a1b2c3d.log.gz',
};

const JSON_TYPES = new Set<LogType>(['cloudtrail', 'guardduty', 'waf', 'route53resolver', 'json']);

/**
 * Events as the sidecar stores them: records (JSON objects or text lines) written as one object
 * of the log type, read by its real parser and turned into rows as ingest does.
 */
export async function rowsOf(logType: LogType, records: unknown[]): Promise<EventRow[]> {
  const format = formatOf(logType);
  const key = SAMPLE_KEYS[logType];
  if (!format || !key) {
    throw new Error(`no sample key for log type ${logType}`);
  }
  const lines = records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
  const body = logType === 'cloudtrail' ? `{"Records":[${lines.join(',')}]}` : lines.join('\n');
  const info = objectInfo(key, body.length);
  const { events, malformed } = await parseAll(format, chunksOf(body), info);
  const expected = records.filter((r) => !(logType === 'vpcflow' && isFlowHeader(r))).length;
  if (malformed.length > 0 || (!JSON_TYPES.has(logType) && events.length !== expected)) {
    throw new Error(`the ${logType} parser refused a sample: ${malformed.map((m) => `record ${m.record}: ${m.reason}`).join('; ')}`);
  }
  const receivedAt = toClickHouseTime(Date.now());
  return events.map((event, i) =>
    toEventRow(event, i, { sourceId: 'detect-test', logType, bucket: 'logs', key, etag: 'sample', backfillId: '', receivedAt, fallbackTime: info.keyTime ?? 0 })
  );
}

function isFlowHeader(record: unknown): boolean {
  return typeof record === 'string' && /^[a-z]/.test(record);
}

/** A chDB store whose events one test replaces at a time. */
export class DetectionStore {
  private batches = 0;

  private constructor(private readonly db: TestStore) {}

  static async open(): Promise<DetectionStore> {
    return new DetectionStore(await openTestStore(false));
  }

  get store() {
    return this.db.store;
  }

  /** Makes these the only events stored. */
  async replace(rows: EventRow[]): Promise<void> {
    await this.db.store.exec('TRUNCATE TABLE events');
    await this.db.store.insertEvents(rows, `detect-test-${++this.batches}`);
  }

  async hits(rule: DetectionRule, range: RunRange, options: RunOptions = {}): Promise<Hit[]> {
    return (await runRule(this.db.store, rule, range, options)).hits;
  }

  /** Rows of a query (e.g. a rule's events query) over the range. */
  async rows(query: string, range: RunRange): Promise<Array<Record<string, unknown>>> {
    const compiled = compileRuleQuery(query, range, 10_000);
    return (await execute<Record<string, unknown>>(this.db.store, compiled.sql, compiled.params, DEFAULT_LIMITS)).rows;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

let eventNo = 0;

/** A CloudTrail record at `at` (ms) from `ip`: a root or failed console sign-in, or an API call (DescribeInstances). */
export function cloudTrailRecord(at: number, kind: 'root' | 'fail' | 'call', ip: string) {
  return {
    eventVersion: '1.09',
    eventTime: new Date(at).toISOString().replace('.000', ''),
    eventSource: kind === 'call' ? 'ec2.amazonaws.com' : 'signin.amazonaws.com',
    eventName: kind === 'call' ? 'DescribeInstances' : 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: 'Mozilla/5.0',
    userIdentity:
      kind === 'root'
        ? { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' }
        : { type: 'IAMUser', principalId: 'AIDAALICE', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
    responseElements: kind === 'call' ? null : { ConsoleLogin: kind === 'fail' ? 'Failure' : 'Success' },
    eventID: `ev-${++eventNo}`,
    eventType: kind === 'call' ? 'AwsApiCall' : 'AwsConsoleSignIn',
    recipientAccountId: '111122223333',
  };
}

/** Stores the events of these CloudTrail records as received at `receivedAt` (ms), as one object of their own. */
export async function landAt(db: DetectionStore, receivedAt: number, records: unknown[]): Promise<void> {
  const key = `obj-${++eventNo}`;
  const rows: EventRow[] = (await rowsOf('cloudtrail', records)).map((r, i) => ({ ...r, key, record_index: i, received_at: toClickHouseTime(receivedAt) }));
  await db.store.insertEvents(rows, `land-${key}`);
}
