import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import {
  arnContext,
  countOrNull,
  httpOutcome,
  keyContext,
  present,
  SERVICE,
  splitEndpointField,
  splitRequestField,
  sumOrNull,
  type KeyContext,
} from './normalise';
import { isoTime } from './times';
import { nameValues, splitFields } from './tokens';
import type { LogFormat } from './types';

/**
 * ALB access log entry fields in order, named as the AWS documentation names them. AWS appends
 * fields over time: values past these are kept as `field_<n>`.
 */
export const ALB_FIELDS = [
  'type',
  'time',
  'elb',
  'client:port',
  'target:port',
  'request_processing_time',
  'target_processing_time',
  'response_processing_time',
  'elb_status_code',
  'target_status_code',
  'received_bytes',
  'sent_bytes',
  'request',
  'user_agent',
  'ssl_cipher',
  'ssl_protocol',
  'target_group_arn',
  'trace_id',
  'domain_name',
  'chosen_cert_arn',
  'matched_rule_priority',
  'request_creation_time',
  'actions_executed',
  'redirect_url',
  'error_reason',
  'target:port_list',
  'target_status_code_list',
  'classification',
  'classification_reason',
  'conn_trace_id',
  'transformed_host',
  'transformed_uri',
  'request_transform_status',
] as const;

/** Every entry has at least the fields up to and including the request line. */
const MIN_FIELDS = ALB_FIELDS.indexOf('request') + 1;

export function parseAlbLine(text: string, context: KeyContext): LineResult {
  const { values, problem } = splitFields(text);
  if (problem) {
    return problem;
  }
  if (values.length < MIN_FIELDS) {
    return `expected at least ${MIN_FIELDS} space-separated fields (type … "request") in an ALB access log entry, found ${values.length}`;
  }
  if (!/^[a-z0-9]+$/.test(values[0])) {
    return `field 1 (type): expected a request type such as http, https, h2, grpcs, ws or wss, got "${values[0]}"`;
  }
  const time = isoTime(values[1]);
  if (Number.isNaN(time)) {
    return `field 2 (time): expected an ISO 8601 time, got "${values[1]}"`;
  }
  const fields = nameValues(ALB_FIELDS, values);
  const client = splitEndpointField(fields, 'client');
  const target = splitEndpointField(fields, 'target');
  const verb = splitRequestField(fields);
  const status = fields.elb_status_code;
  const arn = arnContext(fields.target_group_arn);
  return {
    time,
    eventName: verb,
    srcIp: client.ip,
    srcPort: client.port,
    dstIp: target.ip,
    dstPort: target.port,
    status: present(status),
    ...httpOutcome(status),
    region: context.region || arn.region,
    account: context.account || arn.account,
    service: SERVICE.elb,
    userAgent: present(fields.user_agent),
    bytes: sumOrNull(countOrNull(fields.received_bytes), countOrNull(fields.sent_bytes)),
    fields,
    raw: text,
  };
}

export const alb: LogFormat = {
  type: 'alb',
  matchesKey: KEY_LAYOUTS.alb.matches,
  sniff: (head) => /^(?:http|https|h2|grpcs|ws|wss) \d{4}-\d{2}-\d{2}T\S+ app\//.test(head),
  parse(chunks, info) {
    const context = keyContext(info.key);
    return parseLines(chunks, (text) => parseAlbLine(text, context));
  },
};
