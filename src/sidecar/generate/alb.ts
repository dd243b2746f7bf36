import { LOWER_ALNUM, type Random } from './random';
import type { LogItem } from './logItem';
import { dayFolder, isoMicros, keyStamp } from './time';
import type { Eni, Instance, LoadBalancer } from './world';

/** One ALB request, the facts its access log line is made of. */
export interface AlbRequest {
  protocol: 'http' | 'https' | 'h2';
  /** When the load balancer sent the response: the line's time. */
  time: number;
  client: string;
  clientPort: number;
  /** The target that served it; null when none was reached (redirects, some errors). */
  target: Instance | null;
  /** Seconds; -1 when not recorded. */
  requestProcessing: number;
  targetProcessing: number;
  responseProcessing: number;
  elbStatus: number;
  targetStatus: number | null;
  receivedBytes: number;
  sentBytes: number;
  method: string;
  /** Path and query. */
  path: string;
  userAgent: string;
  rulePriority: number;
  actions: string;
  redirectUrl?: string;
  errorReason?: string;
}

/** Fields of an ALB access log line as documented up to request_transform_status. */
export const ALB_FIELDS = 33;

const seconds = (s: number) => (s < 0 ? '-1' : s.toFixed(3));
const quoted = (s: string | undefined) => `"${s && s.length > 0 ? s : '-'}"`;

/**
 * The access log line, every documented field in order: type time elb client:port target:port
 * request/target/response processing times, status codes, bytes, "request" "user_agent"
 * ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" "chosen_cert_arn"
 * matched_rule_priority request_creation_time "actions_executed" "redirect_url" "error_reason"
 * "target:port_list" "target_status_code_list" "classification" "classification_reason"
 * conn_trace_id "transformed_host" "transformed_uri" "request_transform_status".
 */
export function albLine(lb: LoadBalancer, r: AlbRequest, random: Random): string {
  const tls = r.protocol !== 'http';
  const port = tls ? 443 : 80;
  const url = `${tls ? 'https' : 'http'}://${lb.domain}:${port}${r.path}`;
  const proto = r.protocol === 'h2' ? 'HTTP/2.0' : 'HTTP/1.1';
  const tls13 = tls && random.chance(0.7);
  const cipher = !tls ? '-' : tls13 ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256';
  const total = [r.requestProcessing, r.targetProcessing, r.responseProcessing].filter((s) => s > 0).reduce((a, b) => a + b, 0);
  const created = r.time - Math.round(total * 1000) - random.int(0, 3);
  const target = r.target ? `${r.target.ip}:8080` : '-';
  const fields = [
    r.protocol,
    isoMicros(r.time, random.int(0, 999)),
    lb.elb,
    `${r.client}:${r.clientPort}`,
    target,
    seconds(r.requestProcessing),
    seconds(r.targetProcessing),
    seconds(r.responseProcessing),
    String(r.elbStatus),
    r.targetStatus === null ? '-' : String(r.targetStatus),
    String(r.receivedBytes),
    String(r.sentBytes),
    `"${r.method} ${url} ${proto}"`,
    quoted(r.userAgent),
    cipher,
    !tls ? '-' : tls13 ? 'TLSv1.3' : 'TLSv1.2',
    r.actions.includes('forward') ? lb.targetGroupArn : '-',
    `"Root=1-${Math.floor(r.time / 1000).toString(16)}-${random.hex(24)}"`,
    quoted(tls ? lb.domain : '-'),
    quoted(tls ? lb.certArn : '-'),
    String(r.rulePriority),
    isoMicros(created, random.int(0, 999)),
    quoted(r.actions),
    quoted(r.redirectUrl),
    quoted(r.errorReason),
    quoted(r.target ? target : '-'),
    quoted(r.targetStatus === null ? '-' : String(r.targetStatus)),
    '"-"',
    '"-"',
    `TID_${random.hex(32)}`,
    '"-"',
    '"-"',
    '"-"',
  ];
  return fields.join(' ');
}

/** `AWSLogs/<acct>/elasticloadbalancing/<region>/YYYY/MM/DD/<acct>_elasticloadbalancing_<region>_app.<name>.<id>_<stamp>_<node ip>_<random>.log.gz`. */
export function albKey(lb: LoadBalancer, node: Eni, stamp: number, random: Random): string {
  return `AWSLogs/${lb.account}/elasticloadbalancing/${lb.region}/${dayFolder(stamp)}/${lb.account}_elasticloadbalancing_${lb.region}_app.${lb.name}.${lb.id}_${keyStamp(stamp)}_${node.ip}_${random.chars(8, LOWER_ALNUM)}.log.gz`;
}

export function albBody(items: LogItem[]): string {
  return items.length === 0 ? '' : `${items.map((i) => i.text).join('\n')}\n`;
}
