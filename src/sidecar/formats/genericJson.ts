import { KEY_LAYOUTS } from '../keys/layouts';
import { flatten } from './flatten';
import { detectTime, genericColumns } from './genericColumns';
import { isRecord, parseJsonRecords, type JsonResult } from './jsonFormat';
import type { LogFormat } from './types';

/** Any JSON record: every field flattened under its path, the common columns from conventional field names. */
export function normaliseJson(record: unknown, raw: string, timeField?: string): JsonResult {
  const fields = isRecord(record) ? flatten(record) : { value: JSON.stringify(record) };
  const time = detectTime(fields, timeField);
  if (typeof time === 'string') {
    return time;
  }
  return { time, ...genericColumns(fields), fields, raw };
}

export const genericJson: LogFormat = {
  type: 'json',
  matchesKey: KEY_LAYOUTS.json.matches,
  sniff: (head) => /^\s*(?:\{\s*["}]|\[\s*[{\]])/.test(head),
  parse(chunks, info) {
    return parseJsonRecords(chunks, (record, raw) => normaliseJson(record, raw, info.timeField));
  },
};
