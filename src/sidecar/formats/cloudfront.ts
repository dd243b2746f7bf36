import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import { countOrNull, httpOutcome, portOrNull, present, SERVICE, sumOrNull, urlDecoded } from './normalise';
import type { LogFormat } from './types';

/** The fields of a legacy standard log, for files that lost their `#Fields` header. */
export const CLOUDFRONT_DEFAULT_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

const FIELDS_DIRECTIVE = '#Fields:';

/** The event time: `date` + `time` (UTC), or a single `timestamp` (epoch seconds) in v2 W3C logs. */
function cloudfrontTime(fields: Record<string, string>): number | string {
  if (fields.date !== undefined && fields.time !== undefined) {
    const time = Date.parse(`${fields.date}T${fields.time}Z`);
    return Number.isNaN(time) ? `fields date and time: expected YYYY-MM-DD and HH:MM:SS, got "${fields.date}" and "${fields.time}"` : time;
  }
  const stamp = fields.timestamp ?? fields['timestamp(ms)'];
  if (stamp !== undefined && /^\d+(\.\d+)?$/.test(stamp)) {
    return fields.timestamp !== undefined ? Math.round(Number(stamp) * 1000) : Number(stamp);
  }
  return 'the #Fields header names no date and time (or timestamp) field';
}

/**
 * Reads W3C standard logs: `#Version` and `#Fields` directives, then one tab-separated entry per
 * line in the order `#Fields` gives (a later `#Fields` line, as in concatenated files, replaces it).
 */
function cloudfrontLineParser(): (text: string) => LineResult {
  let names: readonly string[] = CLOUDFRONT_DEFAULT_FIELDS;
  return (text) => {
    if (text.charCodeAt(0) === 35 /* # */) {
      if (text.startsWith(FIELDS_DIRECTIVE)) {
        names = text.slice(FIELDS_DIRECTIVE.length).trim().split(/\s+/);
      }
      return null;
    }
    const values = text.split('\t');
    if (values.length < names.length) {
      return `expected ${names.length} tab-separated fields as the #Fields line lists, found ${values.length}`;
    }
    const fields: Record<string, string> = {};
    for (let i = 0; i < values.length; i++) {
      fields[i < names.length ? names[i] : `field_${i + 1}`] = values[i];
    }
    const time = cloudfrontTime(fields);
    if (typeof time === 'string') {
      return time;
    }
    const status = present(fields['sc-status']);
    return {
      time,
      eventName: present(fields['cs-method']),
      srcIp: present(fields['c-ip']),
      srcPort: portOrNull(fields['c-port']),
      status,
      ...httpOutcome(status),
      service: SERVICE.cloudfront,
      userAgent: urlDecoded(present(fields['cs(User-Agent)'])),
      bytes: sumOrNull(countOrNull(fields['sc-bytes']), countOrNull(fields['cs-bytes'])),
      fields,
      raw: text,
    };
  };
}

export const cloudfront: LogFormat = {
  type: 'cloudfront',
  matchesKey: KEY_LAYOUTS.cloudfront.matches,
  sniff: (head) => /^(?:#Version:[^\n]*\n)?#Fields:[^\n]*\b(?:x-edge-location|x-edge-request-id)\b/.test(head),
  parse(chunks) {
    return parseLines(chunks, cloudfrontLineParser());
  },
};
