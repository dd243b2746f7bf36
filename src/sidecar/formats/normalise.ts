import type { Outcome, ParsedEvent } from './types';

/** The AWS service that writes each log type, as CloudTrail names services in `eventSource`. */
export const SERVICE = {
  elb: 'elasticloadbalancing.amazonaws.com',
  vpcflow: 'vpc-flow-logs.amazonaws.com',
  s3: 's3.amazonaws.com',
  cloudfront: 'cloudfront.amazonaws.com',
  waf: 'wafv2.amazonaws.com',
  route53resolver: 'route53resolver.amazonaws.com',
  guardduty: 'guardduty.amazonaws.com',
} as const;

/** `-` is how AWS text logs write "no value". */
export function present(value: string | undefined): string {
  return value === undefined || value === '-' ? '' : value;
}

/** A whole non-negative number, or null for `-`, empty or anything else. */
export function countOrNull(value: string | number | undefined): number | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (!value || !/^\d+$/.test(value)) {
    return null;
  }
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export function portOrNull(value: string | number | undefined): number | null {
  const n = countOrNull(value);
  return n !== null && n <= 65535 ? n : null;
}

/** Sum of the counts that are known; null when none is. */
export function sumOrNull(...values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/**
 * Splits `ip:port`, `[v6]:port` and `v6:port` (the address is everything before the last colon
 * when the tail is a port). `-` gives empty values.
 */
export function splitHostPort(value: string): { ip: string; port: number | null } {
  if (!value || value === '-') {
    return { ip: '', port: null };
  }
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close > 0) {
      return { ip: value.slice(1, close), port: portOrNull(value.slice(close + 2)) };
    }
  }
  const colon = value.lastIndexOf(':');
  if (colon < 0) {
    return { ip: value, port: null };
  }
  const port = portOrNull(value.slice(colon + 1));
  return port === null ? { ip: value, port: null } : { ip: value.slice(0, colon), port };
}

/**
 * Splits an ELB `<name>:port` field into the `<name>_ip` and `<name>_port` fields Athena's tables
 * use, keeping the original, and returns the parts.
 */
export function splitEndpointField(fields: Record<string, string>, name: string): { ip: string; port: number | null } {
  const parts = splitHostPort(fields[`${name}:port`] ?? '');
  fields[`${name}_ip`] = parts.ip;
  fields[`${name}_port`] = parts.port === null ? '' : String(parts.port);
  return parts;
}

/** Splits an ELB `request` field (`METHOD URL PROTOCOL`) into `request_verb`, `request_url` and `request_proto`; returns the method. */
export function splitRequestField(fields: Record<string, string>): string {
  if (fields.request === undefined) {
    return '';
  }
  const [verb = '', url = '', proto = ''] = fields.request.split(' ');
  fields.request_verb = verb;
  fields.request_url = url;
  fields.request_proto = proto;
  return present(verb);
}

/** HTTP status → outcome and log level: 4xx warns, 5xx is an error, anything else is informational. */
export function httpOutcome(status: string): Pick<ParsedEvent, 'outcome' | 'severity'> {
  const code = Number(status);
  if (!/^\d{3}$/.test(status)) {
    return { outcome: 'unknown', severity: 'info' };
  }
  if (code >= 500) {
    return { outcome: 'failure', severity: 'error' };
  }
  if (code >= 400) {
    return { outcome: 'failure', severity: 'warning' };
  }
  return { outcome: 'success' as Outcome, severity: 'info' };
}

export interface KeyContext {
  account: string;
  region: string;
}

/**
 * Account and region written in an `AWSLogs/<account>/<service>/<region>/` key (or its Hive
 * form `aws-account-id=<account>/aws-service=<service>/aws-region=<region>/`).
 */
export function keyContext(key: string): KeyContext {
  const plain = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\/[^/]+\/([a-z]{2}(?:-[a-z]+)+-\d)\//.exec(key);
  if (plain) {
    return { account: plain[1], region: plain[2] };
  }
  const hive = /aws-account-id=(\d{12})\/aws-service=[^/]+\/aws-region=([a-z0-9-]+)\//.exec(key);
  if (hive) {
    return { account: hive[1], region: hive[2] };
  }
  const account = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\//.exec(key);
  return { account: account?.[1] ?? '', region: '' };
}

/** Region and account of an ARN (`arn:aws:service:region:account:...`). */
export function arnContext(arn: string | undefined): KeyContext {
  const parts = (arn ?? '').split(':');
  return parts[0] === 'arn' && parts.length >= 6 ? { region: parts[3], account: parts[4] } : { region: '', account: '' };
}

/** Decodes the URL-encoding CloudFront uses for some fields; gives the input back when it is not valid. */
export function urlDecoded(value: string): string {
  if (!value.includes('%')) {
    return value;
  }
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
