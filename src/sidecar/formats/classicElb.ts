import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import { countOrNull, httpOutcome, keyContext, present, SERVICE, splitEndpointField, splitRequestField, sumOrNull, type KeyContext } from './normalise';
import { isoTime } from './times';
import { nameValues, splitFields } from './tokens';
import type { LogFormat } from './types';

/** Classic Load Balancer access log entry fields in order, as the AWS documentation names them. */
export const CLASSIC_ELB_FIELDS = [
  'timestamp',
  'elb',
  'client:port',
  'backend:port',
  'request_processing_time',
  'backend_processing_time',
  'response_processing_time',
  'elb_status_code',
  'backend_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'ssl_cipher',
  'ssl_protocol',
] as const;

/** TCP listeners write no request line: the entry ends after sent_bytes. */
const MIN_FIELDS = CLASSIC_ELB_FIELDS.indexOf('sent_bytes') + 1;

export function parseClassicElbLine(text: string, context: KeyContext): LineResult {
  const { values, problem } = splitFields(text);
  if (problem) {
    return problem;
  }
  if (values.length < MIN_FIELDS) {
    return `expected at least ${MIN_FIELDS} space-separated fields (timestamp … sent_bytes) in a Classic Load Balancer entry, found ${values.length}`;
  }
  const time = isoTime(values[0]);
  if (Number.isNaN(time)) {
    return `field 1 (timestamp): expected an ISO 8601 time, got "${values[0]}"`;
  }
  const fields = nameValues(CLASSIC_ELB_FIELDS, values);
  const client = splitEndpointField(fields, 'client');
  const backend = splitEndpointField(fields, 'backend');
  const verb = splitRequestField(fields);
  const status = present(fields.elb_status_code);
  return {
    time,
    eventName: verb,
    srcIp: client.ip,
    srcPort: client.port,
    dstIp: backend.ip,
    dstPort: backend.port,
    status,
    ...httpOutcome(status),
    region: context.region,
    account: context.account,
    service: SERVICE.elb,
    userAgent: present(fields.user_agent),
    bytes: sumOrNull(countOrNull(fields.received_bytes), countOrNull(fields.sent_bytes)),
    fields,
    raw: text,
  };
}

export const classicElb: LogFormat = {
  type: 'elb',
  matchesKey: KEY_LAYOUTS.elb.matches,
  sniff: (head) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z [\w-]+ \S+:\d+ \S+ -?[\d.]+ -?[\d.]+ -?[\d.]+ /.test(head),
  parse(chunks, info) {
    const context = keyContext(info.key);
    return parseLines(chunks, (text) => parseClassicElbLine(text, context));
  },
};
