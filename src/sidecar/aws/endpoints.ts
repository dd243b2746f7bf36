/**
 * Where AWS calls may go: AWS's own hosts, or the one endpoint the config names (an emulator, an
 * S3- or SQS-compatible service). Queue URLs come from users and stored sources, so they are
 * checked against the same rule before any request is signed for them.
 */

/** `https://sqs.<region>.amazonaws.com[.cn]/<account>/<name>`, and the legacy `https://[<region>.]queue.amazonaws.com/...`. */
const SQS_QUEUE_URL =
  /^https:\/\/(?:sqs\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?|([a-z]{2}(?:-[a-z]+)+-\d)\.queue\.amazonaws\.com|queue\.amazonaws\.com)\/\d{12}\/[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;
/** Emulators name the region the same way (`http://sqs.us-east-1.localhost:4566/...`). */
const SQS_HOST_REGION = /\bsqs\.([a-z]{2}(?:-[a-z]+)+-\d)\./;

/** Hosts of AWS's public, China and GovCloud partitions (dual-stack `api.aws` included). */
const AWS_HOST = /(?:^|\.)(?:amazonaws\.com|amazonaws\.com\.cn|api\.aws|api\.amazonwebservices\.com\.cn)$/;

export const SQS_QUEUE_URL_FORM = 'https://sqs.<region>.amazonaws.com/<12-digit account id>/<queue name>';

/** The region an SQS queue URL names, if it names one (legacy `queue.amazonaws.com` is us-east-1). */
export function regionOfQueueUrl(url: string): string | undefined {
  const aws = SQS_QUEUE_URL.exec(url);
  if (aws) {
    return aws[1] ?? aws[2] ?? 'us-east-1';
  }
  return SQS_HOST_REGION.exec(url)?.[1];
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * Whether a host belongs to the configured endpoint: the same scheme and port, and its host or a
 * name under it (`sqs.us-east-1.localhost.localstack.cloud` for `localhost.localstack.cloud`).
 * Loopback names count as one host: emulators hand out `http://sqs.<region>.localhost:<port>` URLs
 * for an endpoint of `http://127.0.0.1:<port>`.
 */
function onEndpoint(url: URL, endpoint: URL): boolean {
  if (url.protocol !== endpoint.protocol || effectivePort(url) !== effectivePort(endpoint)) {
    return false;
  }
  const host = url.hostname;
  return host === endpoint.hostname || host.endsWith(`.${endpoint.hostname}`) || (isLoopback(host) && isLoopback(endpoint.hostname));
}

/**
 * Why a source's queue URL is refused, or undefined when it is fine. Without an endpoint it must be
 * an Amazon SQS queue URL; with one, it must be on that endpoint (SQS calls go there anyway).
 */
export function queueUrlProblem(url: string, endpoint?: string): string | undefined {
  if (!endpoint) {
    return SQS_QUEUE_URL.test(url)
      ? undefined
      : `"${url}" is not an Amazon SQS queue URL (${SQS_QUEUE_URL_FORM}); to use another SQS-compatible service, set aws.endpoint`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  return onEndpoint(parsed, new URL(endpoint))
    ? undefined
    : `"${url}" is not on the configured aws.endpoint (${new URL(endpoint).origin}), where every SQS call goes`;
}

/** Whether a request to this host and port may be sent: an AWS host, or the configured endpoint. */
export function isAllowedHost(hostname: string, port: number | string | undefined, endpoint?: string): boolean {
  if (!endpoint) {
    return AWS_HOST.test(hostname) && (port === undefined || port === '' || Number(port) === 443 || Number(port) === 80);
  }
  const protocolOf = new URL(endpoint).protocol;
  let url: URL;
  try {
    url = new URL(`${protocolOf}//${hostname}${port !== undefined && port !== '' ? `:${port}` : ''}`);
  } catch {
    return false;
  }
  return onEndpoint(url, new URL(endpoint));
}
