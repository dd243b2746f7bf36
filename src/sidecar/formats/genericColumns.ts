import { countOrNull, httpOutcome, portOrNull } from './normalise';
import { timeOfValue } from './times';
import type { Outcome, ParsedEvent } from './types';

/**
 * Field names that common log shapes (ECS, CloudTrail-like, nginx/JSON loggers, logfmt) use for
 * each common column, in order of preference. Generic logs fill their columns from the first
 * one present; every field stays in `fields` whatever it fills.
 */
export const TIME_FIELDS = [
  '@timestamp',
  'timestamp',
  'time',
  'eventTime',
  'event_time',
  'datetime',
  'date',
  'ts',
  'created_at',
  'createdAt',
  'Timestamp',
  'Time',
  'EventTime',
];
const NAME_FIELDS = ['eventName', 'event_name', 'event.action', 'action', 'event_type', 'eventType'];
const ACTOR_FIELDS = ['actor', 'user', 'userName', 'user_name', 'username', 'user.name', 'principal', 'userIdentity.arn'];
const SRC_IP_FIELDS = [
  'src_ip',
  'srcIp',
  'srcaddr',
  'source_ip',
  'sourceIp',
  'sourceIPAddress',
  'source.ip',
  'client_ip',
  'clientIp',
  'client.ip',
  'remote_addr',
  'remoteAddr',
];
const SRC_PORT_FIELDS = ['src_port', 'srcPort', 'srcport', 'source_port', 'source.port', 'client_port', 'client.port', 'remote_port'];
const DST_IP_FIELDS = ['dst_ip', 'dstIp', 'dstaddr', 'destination_ip', 'destination.ip', 'dest_ip', 'server.ip'];
const DST_PORT_FIELDS = ['dst_port', 'dstPort', 'dstport', 'destination_port', 'destination.port', 'dest_port', 'server.port'];
const STATUS_FIELDS = ['status', 'status_code', 'statusCode', 'http.response.status_code', 'response_code', 'errorCode'];
const OUTCOME_FIELDS = ['event.outcome', 'outcome', 'result'];
const LEVEL_FIELDS = ['level', 'severity', 'log.level', 'loglevel', 'lvl'];
const AGENT_FIELDS = ['userAgent', 'user_agent', 'user_agent.original', 'http.user_agent', 'http_user_agent'];
const REGION_FIELDS = ['region', 'awsRegion', 'aws_region', 'cloud.region'];
const ACCOUNT_FIELDS = ['account', 'accountId', 'account_id', 'recipientAccountId', 'cloud.account.id'];
const SERVICE_FIELDS = ['service', 'eventSource', 'service.name'];
const BYTES_FIELDS = ['bytes', 'bytes_sent', 'bytesSent', 'body_bytes_sent', 'http.response.bytes'];

function first(fields: Record<string, string>, names: readonly string[]): string {
  for (const name of names) {
    const value = fields[name];
    if (value !== undefined && value !== '' && value !== '-') {
      return value;
    }
  }
  return '';
}

/** `error`/`warn`/… in any case, as loggers write levels, or syslog's numeric severities. */
export function levelSeverity(level: string): ParsedEvent['severity'] | undefined {
  const l = level.toLowerCase();
  if (/^(?:err|error|fatal|crit|critical|alert|emerg|emergency|panic|severe|[0-3])$/.test(l)) {
    return 'error';
  }
  if (/^(?:warn|warning|4)$/.test(l)) {
    return 'warning';
  }
  return /^(?:info|information|informational|notice|debug|trace|[5-7])$/.test(l) ? 'info' : undefined;
}

function outcomeOf(value: string): Outcome | undefined {
  const v = value.toLowerCase();
  if (v === 'success' || v === 'succeeded' || v === 'ok' || v === 'allow' || v === 'allowed') {
    return 'success';
  }
  return v === 'failure' || v === 'failed' || v === 'fail' || v === 'deny' || v === 'denied' ? 'failure' : undefined;
}

/** Auto-detected times before 2000 or over a year ahead are taken for something else (a duration, a counter). */
const EARLIEST = Date.UTC(2000, 0, 1);
const YEAR_MS = 366 * 86_400_000;

/**
 * The time held by `timeField` when one is configured (or why its value is not a time), else by
 * the first conventional time field that holds a plausible time; null when there is none.
 */
export function detectTime(fields: Record<string, string>, timeField?: string): number | null | string {
  if (timeField) {
    const value = fields[timeField];
    if (value === undefined || value === '') {
      return null;
    }
    const time = timeOfValue(value);
    return Number.isNaN(time) ? `field ${timeField} (the configured time field): expected a time, got "${value}"` : time;
  }
  const latest = Date.now() + YEAR_MS;
  for (const name of TIME_FIELDS) {
    const value = fields[name];
    if (value === undefined) {
      continue;
    }
    const time = timeOfValue(value);
    if (time >= EARLIEST && time <= latest) {
      return time;
    }
  }
  return null;
}

/** Fills the common columns of a generic record from its (flattened) fields. */
export function genericColumns(fields: Record<string, string>): Omit<ParsedEvent, 'time' | 'fields' | 'raw'> {
  const status = first(fields, STATUS_FIELDS);
  const http = /^\d{3}$/.test(status) ? httpOutcome(status) : undefined;
  const outcome = outcomeOf(first(fields, OUTCOME_FIELDS)) ?? outcomeOf(status) ?? http?.outcome ?? 'unknown';
  return {
    eventName: first(fields, NAME_FIELDS),
    actor: first(fields, ACTOR_FIELDS),
    srcIp: first(fields, SRC_IP_FIELDS),
    srcPort: portOrNull(first(fields, SRC_PORT_FIELDS)),
    dstIp: first(fields, DST_IP_FIELDS),
    dstPort: portOrNull(first(fields, DST_PORT_FIELDS)),
    outcome,
    status,
    severity: levelSeverity(first(fields, LEVEL_FIELDS)) ?? http?.severity ?? (outcome === 'failure' ? 'error' : 'info'),
    region: first(fields, REGION_FIELDS),
    account: first(fields, ACCOUNT_FIELDS),
    service: first(fields, SERVICE_FIELDS),
    userAgent: first(fields, AGENT_FIELDS),
    bytes: countOrNull(first(fields, BYTES_FIELDS)),
  };
}
