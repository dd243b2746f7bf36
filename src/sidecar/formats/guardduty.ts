import { KEY_LAYOUTS } from '../keys/layouts';
import { flatten } from './flatten';
import { isRecord, parseJsonRecords, textAt, type JsonResult } from './jsonFormat';
import { portOrNull, SERVICE } from './normalise';
import { isoTime } from './times';
import type { LogFormat, ParsedEvent } from './types';

/** GuardDuty's severity bands: Low 1-3.9, Medium 4-6.9, High 7-8.9, Critical 9-10. */
function severityOf(score: number): { status: string; severity: ParsedEvent['severity'] } {
  if (score >= 9) {
    return { status: 'Critical', severity: 'error' };
  }
  if (score >= 7) {
    return { status: 'High', severity: 'error' };
  }
  if (score >= 4) {
    return { status: 'Medium', severity: 'warning' };
  }
  return { status: 'Low', severity: 'info' };
}

type Endpoints = Pick<ParsedEvent, 'srcIp' | 'srcPort' | 'dstIp' | 'dstPort'>;

/** Source and destination of the finding's action: a connection (by its direction), a port probe or an API call. */
function endpointsOf(action: unknown): Endpoints {
  const connection = isRecord(action) ? action.networkConnectionAction : undefined;
  if (isRecord(connection)) {
    const remote = { ip: textAt(connection, 'remoteIpDetails', 'ipAddressV4'), port: portOrNull(textAt(connection, 'remotePortDetails', 'port')) };
    const local = { ip: textAt(connection, 'localIpDetails', 'ipAddressV4'), port: portOrNull(textAt(connection, 'localPortDetails', 'port')) };
    const [src, dst] = textAt(connection, 'connectionDirection') === 'OUTBOUND' ? [local, remote] : [remote, local];
    return { srcIp: src.ip, srcPort: src.port, dstIp: dst.ip, dstPort: dst.port };
  }
  const probe = isRecord(action) && isRecord(action.portProbeAction) ? action.portProbeAction.portProbeDetails : undefined;
  if (Array.isArray(probe) && probe.length > 0) {
    return {
      srcIp: textAt(probe[0], 'remoteIpDetails', 'ipAddressV4'),
      dstIp: textAt(probe[0], 'localIpDetails', 'ipAddressV4'),
      dstPort: portOrNull(textAt(probe[0], 'localPortDetails', 'port')),
    };
  }
  for (const kind of ['awsApiCallAction', 'kubernetesApiCallAction', 'rdsLoginAttemptAction']) {
    const ip = textAt(action, kind, 'remoteIpDetails', 'ipAddressV4');
    if (ip) {
      return { srcIp: ip };
    }
  }
  return {};
}

/** One exported finding: its type is the event name, `updatedAt` its time (a finding recurs with each update). */
export function normaliseFinding(record: unknown, raw: string): JsonResult {
  if (!isRecord(record)) {
    return 'a GuardDuty finding must be a JSON object';
  }
  const stamp = textAt(record, 'updatedAt') || textAt(record, 'createdAt');
  const time = isoTime(stamp);
  if (Number.isNaN(time)) {
    return stamp ? `updatedAt: expected an ISO 8601 time, got "${stamp}"` : 'the finding has neither updatedAt nor createdAt';
  }
  const score = Number(record.severity);
  const action = isRecord(record.service) ? record.service.action : undefined;
  const accessKey = isRecord(record.resource) ? record.resource.accessKeyDetails : undefined;
  return {
    time,
    eventName: textAt(record, 'type'),
    actor:
      textAt(accessKey, 'userName') || textAt(accessKey, 'principalId') || textAt(record, 'resource', 'kubernetesDetails', 'kubernetesUserDetails', 'username'),
    ...endpointsOf(action),
    outcome: 'unknown',
    ...(Number.isFinite(score) ? severityOf(score) : { status: '', severity: 'info' as const }),
    region: textAt(record, 'region'),
    account: textAt(record, 'accountId'),
    service: SERVICE.guardduty,
    userAgent: textAt(action, 'awsApiCallAction', 'userAgentDetails', 'fullUserAgent') || textAt(action, 'kubernetesApiCallAction', 'userAgent'),
    fields: flatten(record),
    raw,
  };
}

export const guardduty: LogFormat = {
  type: 'guardduty',
  matchesKey: KEY_LAYOUTS.guardduty.matches,
  sniff: (head) => /^\s*[[{]/.test(head) && /"arn"\s*:\s*"arn:aws[a-z-]*:guardduty:/.test(head) && /"schemaVersion"\s*:/.test(head),
  parse(chunks) {
    return parseJsonRecords(chunks, normaliseFinding);
  },
};
