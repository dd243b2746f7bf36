import { KEY_LAYOUTS } from '../keys/layouts';
import { flatten } from './flatten';
import { isRecord, parseJsonRecords, textAt, type JsonResult } from './jsonFormat';
import { arnContext, SERVICE } from './normalise';
import type { LogFormat, Outcome, ParsedEvent } from './types';

function headerValue(headers: unknown, name: string): string {
  if (!Array.isArray(headers)) {
    return '';
  }
  const lower = name.toLowerCase();
  for (const h of headers) {
    if (isRecord(h) && typeof h.name === 'string' && h.name.toLowerCase() === lower && typeof h.value === 'string') {
      return h.value;
    }
  }
  return '';
}

const ACTION_OUTCOME: Record<string, { outcome: Outcome; severity: ParsedEvent['severity'] }> = {
  ALLOW: { outcome: 'success', severity: 'info' },
  COUNT: { outcome: 'success', severity: 'info' },
  BLOCK: { outcome: 'failure', severity: 'warning' },
  CAPTCHA: { outcome: 'failure', severity: 'warning' },
  CHALLENGE: { outcome: 'failure', severity: 'warning' },
};

/** One web ACL log record: `timestamp` in ms, `action`, the terminating rule and the `httpRequest`. */
export function normaliseWaf(record: unknown, raw: string): JsonResult {
  if (!isRecord(record)) {
    return 'a WAF log record must be a JSON object';
  }
  const stamp = record.timestamp;
  if (typeof stamp !== 'number' || !Number.isFinite(stamp)) {
    return stamp === undefined ? 'the record has no timestamp' : `timestamp: expected epoch milliseconds, got ${JSON.stringify(stamp)}`;
  }
  const action = textAt(record, 'action');
  const decided = ACTION_OUTCOME[action] ?? { outcome: 'unknown' as Outcome, severity: 'info' as const };
  const acl = arnContext(textAt(record, 'webaclId'));
  return {
    time: stamp,
    eventName: action,
    srcIp: textAt(record, 'httpRequest', 'clientIp'),
    ...decided,
    status: textAt(record, 'terminatingRuleId'),
    region: acl.region,
    account: acl.account,
    service: SERVICE.waf,
    userAgent: headerValue(isRecord(record.httpRequest) ? record.httpRequest.headers : undefined, 'user-agent'),
    fields: flatten(record),
    raw,
  };
}

export const waf: LogFormat = {
  type: 'waf',
  matchesKey: KEY_LAYOUTS.waf.matches,
  sniff: (head) => /^\s*\{/.test(head) && /"webaclId"\s*:/.test(head) && /"terminatingRuleId"\s*:/.test(head),
  parse(chunks) {
    return parseJsonRecords(chunks, normaliseWaf);
  },
};
