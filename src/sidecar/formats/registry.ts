import type { LogType, SourceLogType } from '../../shared/api';
import { alb } from './alb';
import { albConnection } from './albConnection';
import { classicElb } from './classicElb';
import { cloudfront } from './cloudfront';
import { cloudtrail } from './cloudtrail';
import { genericJson } from './genericJson';
import { genericText } from './genericText';
import { guardduty } from './guardduty';
import { nlb } from './nlb';
import { route53resolver } from './route53resolver';
import { s3access } from './s3access';
import type { LogFormat } from './types';
import { vpcflow } from './vpcflow';
import { waf } from './waf';

/**
 * Every format, in the order detection tries them. Key layouts do not overlap; for content the
 * AWS formats come first, then any JSON, then any printable text as the last resort.
 */
export const FORMATS: LogFormat[] = [
  cloudtrail,
  alb,
  albConnection,
  classicElb,
  nlb,
  vpcflow,
  s3access,
  cloudfront,
  waf,
  route53resolver,
  guardduty,
  genericJson,
  genericText,
];

export function formatOf(type: LogType): LogFormat | undefined {
  return FORMATS.find((f) => f.type === type);
}

export type Detection = { format: LogFormat; skip?: string } | { error: string };

/** Picks the parser for an object: the source's forced type, else the key layout, else the content. */
export function detectFormat(forced: SourceLogType, key: string, head: string): Detection {
  if (forced !== 'auto') {
    const format = formatOf(forced);
    if (!format) {
      return { error: `log type "${forced}" has no parser` };
    }
    return { format, skip: format.skipReason?.(key) };
  }
  const byKey = FORMATS.find((f) => f.matchesKey(key));
  if (byKey) {
    return { format: byKey, skip: byKey.skipReason?.(key) };
  }
  const byContent = FORMATS.find((f) => f.sniff(head));
  if (byContent) {
    return { format: byContent, skip: byContent.skipReason?.(key) };
  }
  const start = JSON.stringify(head.slice(0, 80));
  return { error: `unrecognised log format: neither the key nor the content (${start}) matches a known type` };
}
