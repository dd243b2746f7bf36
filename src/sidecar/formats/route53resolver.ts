import { KEY_LAYOUTS } from '../keys/layouts';
import { flatten } from './flatten';
import { isRecord, parseJsonRecords, textAt, type JsonResult } from './jsonFormat';
import { portOrNull, SERVICE } from './normalise';
import { isoTime } from './times';
import type { LogFormat } from './types';

/** One Resolver query log record: who asked (`srcaddr`, `srcids`), what (`query_name`, `query_type`) and the answer (`rcode`). */
export function normaliseResolverQuery(record: unknown, raw: string): JsonResult {
  if (!isRecord(record)) {
    return 'a Route 53 Resolver query log record must be a JSON object';
  }
  const stamp = textAt(record, 'query_timestamp');
  const time = isoTime(stamp);
  if (Number.isNaN(time)) {
    return stamp ? `query_timestamp: expected an ISO 8601 time, got "${stamp}"` : 'the record has no query_timestamp';
  }
  const rcode = textAt(record, 'rcode');
  const firewall = textAt(record, 'firewall_rule_action');
  return {
    time,
    eventName: textAt(record, 'query_type'),
    actor: textAt(record, 'srcids', 'instance') || textAt(record, 'srcids', 'resolver_endpoint'),
    srcIp: textAt(record, 'srcaddr'),
    srcPort: portOrNull(textAt(record, 'srcport')),
    outcome: rcode === 'NOERROR' ? 'success' : rcode ? 'failure' : 'unknown',
    status: rcode,
    severity: firewall === 'BLOCK' || firewall === 'ALERT' ? 'warning' : 'info',
    region: textAt(record, 'region'),
    account: textAt(record, 'account_id'),
    service: SERVICE.route53resolver,
    fields: flatten(record),
    raw,
  };
}

export const route53resolver: LogFormat = {
  type: 'route53resolver',
  matchesKey: KEY_LAYOUTS.route53resolver.matches,
  sniff: (head) => /^\s*\{/.test(head) && /"query_timestamp"\s*:/.test(head) && /"query_name"\s*:/.test(head),
  parse(chunks) {
    return parseJsonRecords(chunks, normaliseResolverQuery);
  },
};
