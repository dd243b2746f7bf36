import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import { keyContext, portOrNull, present, SERVICE, type KeyContext } from './normalise';
import { isoTime } from './times';
import { nameValues, splitFields } from './tokens';
import type { LogFormat, Outcome } from './types';

/** ALB connection log entry fields in order, as the AWS documentation names them. */
export const ALB_CONNECTION_FIELDS = [
  'timestamp',
  'client_ip',
  'client_port',
  'listener_port',
  'tls_protocol',
  'tls_cipher',
  'tls_handshake_latency',
  'leaf_client_cert_subject',
  'leaf_client_cert_validity',
  'leaf_client_cert_serial_number',
  'tls_verify_status',
  'conn_trace_id',
] as const;

const MIN_FIELDS = ALB_CONNECTION_FIELDS.indexOf('tls_verify_status') + 1;

/** `Success`, `Failed:<reason>` or `-` (no client certificate check). */
function verifyOutcome(status: string): Outcome {
  if (status === 'Success') {
    return 'success';
  }
  return status.startsWith('Failed') ? 'failure' : 'unknown';
}

export function parseAlbConnectionLine(text: string, context: KeyContext): LineResult {
  const { values, problem } = splitFields(text);
  if (problem) {
    return problem;
  }
  if (values.length < MIN_FIELDS) {
    return `expected at least ${MIN_FIELDS} space-separated fields (timestamp … tls_verify_status) in an ALB connection log entry, found ${values.length}`;
  }
  const time = isoTime(values[0]);
  if (Number.isNaN(time)) {
    return `field 1 (timestamp): expected an ISO 8601 time, got "${values[0]}"`;
  }
  const fields = nameValues(ALB_CONNECTION_FIELDS, values);
  const status = present(fields.tls_verify_status);
  const outcome = verifyOutcome(status);
  return {
    time,
    eventName: 'connection',
    srcIp: present(fields.client_ip),
    srcPort: portOrNull(fields.client_port),
    dstPort: portOrNull(fields.listener_port),
    outcome,
    status,
    severity: outcome === 'failure' ? 'warning' : 'info',
    region: context.region,
    account: context.account,
    service: SERVICE.elb,
    fields,
    raw: text,
  };
}

export const albConnection: LogFormat = {
  type: 'alb_connection',
  matchesKey: KEY_LAYOUTS.alb_connection.matches,
  sniff: (head) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z \S+ \d+ \d+ (?:TLSv[\d.]+|-) \S+ [-\d.]+ "/.test(head),
  parse(chunks, info) {
    const context = keyContext(info.key);
    return parseLines(chunks, (text) => parseAlbConnectionLine(text, context));
  },
};
