import type { LogType } from '../../shared/api';
import { RELATIONS } from './detectionsTable';

/** The language's tables: `events` holds everything, the others one log type each. */
export const TABLES: ReadonlyArray<{ name: string; logType: LogType | null }> = [
  { name: 'events', logType: null },
  { name: 'CloudTrail', logType: 'cloudtrail' },
  { name: 'ALB', logType: 'alb' },
  { name: 'ALBConnection', logType: 'alb_connection' },
  { name: 'ELB', logType: 'elb' },
  { name: 'NLB', logType: 'nlb' },
  { name: 'VPCFlow', logType: 'vpcflow' },
  { name: 'S3Access', logType: 's3access' },
  { name: 'CloudFront', logType: 'cloudfront' },
  { name: 'WAF', logType: 'waf' },
  { name: 'Route53Resolver', logType: 'route53resolver' },
  { name: 'GuardDuty', logType: 'guardduty' },
  { name: 'JSON', logType: 'json' },
  { name: 'Text', logType: 'text' },
];

/** Every table name: the tables of events, and those that read something else (`Detections`). */
export const TABLE_NAMES = [...TABLES.map((t) => t.name), ...RELATIONS.map((r) => r.name)];

export function tableByName(name: string) {
  return TABLES.find((t) => t.name === name);
}

/** Types a value can have while compiling. */
export type ValueType = 'string' | 'number' | 'time' | 'bool' | 'timespan' | 'array' | 'map' | 'null';

export interface CommonColumn {
  /** Name in the language. */
  name: string;
  /** Column of the `events` table. */
  column: string;
  type: ValueType;
  nullable?: boolean;
}

/**
 * The normalised columns every table has, in the order a plain query returns them. A field
 * whose original name equals one of these (CloudTrail's `eventName`, `userAgent`) resolves to
 * the column; the original stays reachable as `fields["eventName"]`.
 */
export const COMMON_COLUMNS: readonly CommonColumn[] = [
  { name: 'time', column: 'time', type: 'time' },
  { name: 'receivedAt', column: 'received_at', type: 'time' },
  { name: 'sourceId', column: 'source_id', type: 'string' },
  { name: 'logType', column: 'log_type', type: 'string' },
  { name: 'eventName', column: 'event_name', type: 'string' },
  { name: 'actor', column: 'actor', type: 'string' },
  { name: 'srcIp', column: 'src_ip', type: 'string' },
  { name: 'srcPort', column: 'src_port', type: 'number', nullable: true },
  { name: 'dstIp', column: 'dst_ip', type: 'string' },
  { name: 'dstPort', column: 'dst_port', type: 'number', nullable: true },
  { name: 'outcome', column: 'outcome', type: 'string' },
  { name: 'status', column: 'status', type: 'string' },
  { name: 'severity', column: 'severity', type: 'string' },
  { name: 'region', column: 'region', type: 'string' },
  { name: 'account', column: 'account', type: 'string' },
  { name: 'service', column: 'service', type: 'string' },
  { name: 'userAgent', column: 'user_agent', type: 'string' },
  { name: 'bytes', column: 'bytes', type: 'number', nullable: true },
  { name: 'raw', column: 'raw', type: 'string' },
  { name: 'fields', column: 'fields', type: 'map' },
  { name: 'bucket', column: 'bucket', type: 'string' },
  { name: 'key', column: 'key', type: 'string' },
];
