import { KEY_LAYOUTS } from '../keys/layouts';
import { flatten } from './flatten';
import { parseJsonRecords } from './jsonFormat';
import type { LogFormat, Outcome, ParsedEvent } from './types';

interface CloudTrailRecord {
  eventTime?: string;
  eventName?: string;
  eventSource?: string;
  eventType?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  recipientAccountId?: string;
  readOnly?: boolean;
  responseElements?: Record<string, unknown> | null;
  userIdentity?: {
    type?: string;
    arn?: string;
    userName?: string;
    principalId?: string;
    accountId?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string; userName?: string } };
  };
  insightDetails?: { eventName?: string; eventSource?: string; state?: string };
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]+)$/i;

export function actorOf(identity: CloudTrailRecord['userIdentity']): string {
  if (!identity) {
    return '';
  }
  return identity.arn || identity.sessionContext?.sessionIssuer?.arn || identity.userName || identity.principalId || identity.invokedBy || '';
}

function outcomeOf(r: CloudTrailRecord): { outcome: Outcome; status: string } {
  if (r.errorCode) {
    return { outcome: 'failure', status: r.errorCode };
  }
  const login = r.responseElements?.ConsoleLogin;
  if (typeof login === 'string') {
    return { outcome: login === 'Success' ? 'success' : 'failure', status: login };
  }
  if (r.eventType === 'AwsCloudTrailInsight') {
    return { outcome: 'unknown', status: r.insightDetails?.state ?? '' };
  }
  return { outcome: 'success', status: 'Success' };
}

/**
 * One CloudTrail record: management and data events (actor from `userIdentity`, outcome from
 * `errorCode` or the console sign-in result; `readOnly`, `eventCategory` and every other field kept
 * in `fields`) and Insights events (named by the API they watch, status Start or End).
 */
export function normaliseCloudTrail(record: unknown, raw: string): ParsedEvent | string {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return 'a CloudTrail record must be a JSON object';
  }
  const r = record as CloudTrailRecord;
  const time = Date.parse(r.eventTime ?? '');
  if (Number.isNaN(time)) {
    return r.eventTime ? `eventTime "${r.eventTime}" is not a valid time` : 'the record has no eventTime';
  }
  const { outcome, status } = outcomeOf(r);
  const source = r.sourceIPAddress ?? '';
  return {
    time,
    eventName: r.eventName ?? r.insightDetails?.eventName ?? '',
    actor: actorOf(r.userIdentity),
    srcIp: IP.test(source) ? source : '',
    outcome,
    status,
    region: r.awsRegion ?? '',
    account: r.recipientAccountId ?? r.userIdentity?.accountId ?? '',
    service: r.eventSource ?? r.insightDetails?.eventSource ?? '',
    userAgent: r.userAgent ?? '',
    severity: r.eventType === 'AwsCloudTrailInsight' ? 'warning' : undefined,
    fields: flatten(r),
    raw,
  };
}

export const cloudtrail: LogFormat = {
  type: 'cloudtrail',
  matchesKey: KEY_LAYOUTS.cloudtrail.matches,
  sniff: (head) => /^\s*(\{\s*"Records"\s*:\s*\[\s*\{|\{)[^\n]*"eventVersion"\s*:/.test(head) || /"eventSource"\s*:\s*"[a-z0-9.-]+\.amazonaws\.com"/.test(head),
  skipReason: KEY_LAYOUTS.cloudtrail.skipReason,
  parse(chunks) {
    return parseJsonRecords(chunks, normaliseCloudTrail);
  },
};
