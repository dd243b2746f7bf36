import type { LogType } from '../../shared/api';
import { EVENT_COLUMNS, isNullable, valueKind } from '../store/eventColumns';

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

export const TABLE_NAMES = TABLES.map((t) => t.name);

export function tableByName(name: string) {
  return TABLES.find((t) => t.name === name);
}

/** Types a value can have while compiling. */
/** `dynamic` is a JSON value held as its JSON text ("" for null). */
export type ValueType = 'string' | 'number' | 'time' | 'bool' | 'timespan' | 'array' | 'map' | 'null' | 'dynamic';

export interface CommonColumn {
  /** Name in the language. */
  name: string;
  /** Column of the `events` table. */
  column: string;
  type: ValueType;
  nullable?: boolean;
}

/**
 * The normalised columns every table has, in the order a plain query returns them: the events
 * columns flagged normalised (store/eventColumns.ts), by their API names. A field whose original
 * name equals one of these (CloudTrail's `eventName`, `userAgent`) resolves to the column; the
 * original stays reachable as `fields["eventName"]`.
 */
export const COMMON_COLUMNS: readonly CommonColumn[] = EVENT_COLUMNS.filter((c) => c.normalised).map((c) => ({
  name: c.api,
  column: c.name,
  type: valueKind(c.type),
  ...(isNullable(c.type) ? { nullable: true } : {}),
}));
