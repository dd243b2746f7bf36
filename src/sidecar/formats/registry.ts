import type { LogType, SourceLogType } from '../../shared/api';
import { cloudtrail } from './cloudtrail';
import type { LogFormat } from './types';

/** Every format, in the order detection tries them. */
export const FORMATS: LogFormat[] = [cloudtrail];

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
