import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import { arnContext, countOrNull, keyContext, present, SERVICE, splitEndpointField, sumOrNull, type KeyContext } from './normalise';
import { isoTime } from './times';
import { nameValues, splitFields } from './tokens';
import type { LogFormat } from './types';

/** Network Load Balancer (TLS listener) access log entry fields in order, as the AWS documentation names them. */
export const NLB_FIELDS = [
  'type',
  'version',
  'time',
  'elb',
  'listener',
  'client:port',
  'destination:port',
  'connection_time',
  'tls_handshake_time',
  'received_bytes',
  'sent_bytes',
  'incoming_tls_alert',
  'chosen_cert_arn',
  'chosen_cert_serial',
  'tls_cipher',
  'tls_protocol_version',
  'tls_named_group',
  'domain_name',
  'alpn_fe_protocol',
  'alpn_be_protocol',
  'alpn_client_preference_list',
  'tls_connection_creation_time',
] as const;

const MIN_FIELDS = NLB_FIELDS.indexOf('sent_bytes') + 1;

export function parseNlbLine(text: string, context: KeyContext): LineResult {
  const { values, problem } = splitFields(text);
  if (problem) {
    return problem;
  }
  if (values.length < MIN_FIELDS) {
    return `expected at least ${MIN_FIELDS} space-separated fields (type … sent_bytes) in a Network Load Balancer entry, found ${values.length}`;
  }
  const time = isoTime(values[2]);
  if (Number.isNaN(time)) {
    return `field 3 (time): expected an ISO 8601 time, got "${values[2]}"`;
  }
  const fields = nameValues(NLB_FIELDS, values);
  const client = splitEndpointField(fields, 'client');
  const destination = splitEndpointField(fields, 'destination');
  const alert = present(fields.incoming_tls_alert);
  const arn = arnContext(fields.chosen_cert_arn);
  return {
    time,
    eventName: fields.type,
    srcIp: client.ip,
    srcPort: client.port,
    dstIp: destination.ip,
    dstPort: destination.port,
    outcome: alert ? 'failure' : 'success',
    status: alert,
    severity: alert ? 'warning' : 'info',
    region: context.region || arn.region,
    account: context.account || arn.account,
    service: SERVICE.elb,
    bytes: sumOrNull(countOrNull(fields.received_bytes), countOrNull(fields.sent_bytes)),
    fields,
    raw: text,
  };
}

export const nlb: LogFormat = {
  type: 'nlb',
  matchesKey: KEY_LAYOUTS.nlb.matches,
  sniff: (head) => /^tls \d+\.\d+ \d{4}-\d{2}-\d{2}T\S+ net\//.test(head),
  parse(chunks, info) {
    const context = keyContext(info.key);
    return parseLines(chunks, (text) => parseNlbLine(text, context));
  },
};
