import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import { countOrNull, httpOutcome, present, SERVICE, type KeyContext } from './normalise';
import { accessLogTime } from './times';
import { nameValues, splitFields } from './tokens';
import type { LogFormat } from './types';

/**
 * S3 server access log record fields in order: the AWS documentation's names ("Bucket Owner",
 * "Request-URI", "aclRequired" …) in snake_case so they can be queried without quoting. AWS
 * appends fields over time: values past these are kept as `field_<n>`.
 */
export const S3_ACCESS_FIELDS = [
  'bucket_owner',
  'bucket',
  'time',
  'remote_ip',
  'requester',
  'request_id',
  'operation',
  'key',
  'request_uri',
  'http_status',
  'error_code',
  'bytes_sent',
  'object_size',
  'total_time',
  'turn_around_time',
  'referer',
  'user_agent',
  'version_id',
  'host_id',
  'signature_version',
  'cipher_suite',
  'authentication_type',
  'host_header',
  'tls_version',
  'access_point_arn',
  'acl_required',
  'source_region',
] as const;

const MIN_FIELDS = S3_ACCESS_FIELDS.indexOf('user_agent') + 1;
/** The partitioned key layout `<account>/<region>/<bucket>/YYYY/MM/DD/<file>` says where the logged bucket is. */
function partitionedContext(key: string): KeyContext {
  const m = /(?:^|\/)(\d{12})\/([a-z]{2}(?:-[a-z]+)+-\d)\/[^/]+\/\d{4}\/\d{2}\/\d{2}\/[^/]+$/.exec(key);
  return m ? { account: m[1], region: m[2] } : { account: '', region: '' };
}

export function parseS3AccessLine(text: string, context: KeyContext): LineResult {
  const { values, problem } = splitFields(text, true);
  if (problem) {
    return problem;
  }
  if (values.length < MIN_FIELDS) {
    return `expected at least ${MIN_FIELDS} space-separated fields (bucket_owner … user_agent) in an S3 server access log record, found ${values.length}`;
  }
  const time = accessLogTime(values[2]);
  if (Number.isNaN(time)) {
    return `field 3 (time): expected [dd/Mon/yyyy:HH:mm:ss +zzzz], got "[${values[2]}]"`;
  }
  const fields = nameValues(S3_ACCESS_FIELDS, values);
  const status = present(fields.http_status);
  const errorCode = present(fields.error_code);
  const http = httpOutcome(status);
  return {
    time,
    eventName: present(fields.operation),
    actor: present(fields.requester),
    srcIp: present(fields.remote_ip),
    status: errorCode || status,
    outcome: errorCode ? 'failure' : http.outcome,
    severity: http.severity,
    region: context.region,
    account: context.account,
    service: SERVICE.s3,
    userAgent: present(fields.user_agent),
    bytes: countOrNull(fields.bytes_sent),
    fields,
    raw: text,
  };
}

export const s3access: LogFormat = {
  type: 's3access',
  matchesKey: KEY_LAYOUTS.s3access.matches,
  sniff: (head) => /^(?:[0-9a-f]{64}|-) \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /.test(head),
  parse(chunks, info) {
    const context = partitionedContext(info.key);
    return parseLines(chunks, (text) => parseS3AccessLine(text, context));
  },
};
