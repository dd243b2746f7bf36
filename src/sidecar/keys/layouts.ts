import type { LogType } from '../../shared/api';
import { elbLogKind } from './elbKeys';

/** Where AWS writes one log type in a bucket, and which of its keys hold no events. */
export interface KeyLayout {
  /** True when the S3 key layout says the object holds this type. */
  matches(key: string): boolean;
  /** Why an object of this type holds no events and must be skipped (CloudTrail digests), if so. */
  skipReason?(key: string): string | undefined;
}

const never = () => false;

/**
 * The key layouts of every log type, in the order detection tries them; they do not overlap.
 * Detection (formats/) and backfill selection (backfill/) both read them here.
 */
export const KEY_LAYOUTS: Readonly<Record<LogType, KeyLayout>> = {
  cloudtrail: {
    matches: (key) => /(^|\/)AWSLogs\/(o-[a-z0-9]+\/)?\d{12}\/CloudTrail(-Insight|-Digest)?\//.test(key),
    skipReason: (key) => (/\/CloudTrail-Digest\//.test(key) ? 'CloudTrail digest file (integrity hashes, no events)' : undefined),
  },
  alb: { matches: (key) => elbLogKind(key) === 'alb' },
  alb_connection: { matches: (key) => elbLogKind(key) === 'alb_connection' },
  elb: { matches: (key) => elbLogKind(key) === 'elb' },
  nlb: { matches: (key) => elbLogKind(key) === 'nlb' },
  vpcflow: {
    matches: (key) => /(?:^|\/)(?:vpcflowlogs|aws-service=vpcflowlogs)\//.test(key) || /_vpcflowlogs_[^/]*$/.test(key),
  },
  s3access: { matches: (key) => /(?:^|\/)\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/.test(key) },
  // Legacy standard logs: `[prefix/]<distribution ID>.YYYY-MM-DD-HH.<unique>[.gz]`.
  cloudfront: { matches: (key) => /(?:^|\/)E[A-Z0-9]{4,}\.\d{4}-\d{2}-\d{2}-\d{2}\.[0-9a-zA-Z]+(?:\.gz)?$/.test(key) },
  // `AWSLogs/<account>/WAFLogs/<region|cloudfront>/<web ACL>/...`, or the older Firehose names `aws-waf-logs-<name>-YYYY-MM-DD-...`.
  waf: {
    matches: (key) => /(?:^|\/)AWSLogs\/\d{12}\/WAFLogs\//.test(key) || /(?:^|\/)aws-waf-logs-[^/]*-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f-]+$/.test(key),
  },
  route53resolver: { matches: (key) => /(?:^|\/)AWSLogs\/\d{12}\/vpcdnsquerylogs\//.test(key) },
  guardduty: { matches: (key) => /(?:^|\/)AWSLogs\/\d{12}\/GuardDuty\//.test(key) },
  // No key layout: generic logs are chosen by content.
  json: { matches: never },
  text: { matches: never },
};

/** The log type the key layout says an object holds, if any. */
export function logTypeOfKey(key: string): LogType | undefined {
  return (Object.keys(KEY_LAYOUTS) as LogType[]).find((type) => KEY_LAYOUTS[type].matches(key));
}
