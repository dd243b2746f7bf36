import { SEVERITIES, type ChannelType, type Detection, type Severity } from '../../../shared/detections';
import { exploreUrl } from '../../../shared/explore';

/** A notification channel as configured (`detect.notifications.channels`). */
export interface ChannelConfig {
  name: string;
  type: ChannelType;
  /** webhook and slack: the URL posted to; alertmanager: Alertmanager's base URL (`/api/v2/alerts` is added). */
  url: string;
  /** Extra request headers (an Authorization for the webhook's receiver). */
  headers?: Record<string, string>;
  /** Detections below this severity are not sent here. */
  minSeverity: Severity;
}

/** Where links in notifications point: the Grafana that has the Lookback data source. */
export interface LinkOptions {
  grafanaUrl?: string;
  datasourceUid?: string;
}

/** A failed attempt: whether trying again may help (a timeout, a 5xx, a 429), and why. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** Seconds the receiver asked to wait (Retry-After). */
    readonly retryAfterSeconds?: number
  ) {
    super(message);
  }
}

/** A request a channel sends for one detection. */
export interface ChannelRequest {
  url: string;
  body: unknown;
}

const MAX_ERROR_BODY = 512;

export function wantsSeverity(channel: ChannelConfig, severity: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(channel.minSeverity);
}

/** The Explore link of a detection's events, when Grafana's URL and the data source are configured. */
export function linkOf(detection: Detection, links: LinkOptions): string | null {
  if (!links.grafanaUrl || !links.datasourceUid) {
    return null;
  }
  return exploreUrl({ grafanaUrl: links.grafanaUrl, datasourceUid: links.datasourceUid, ...detection.explore });
}

/** What a channel posts for a detection. */
export function requestFor(channel: ChannelConfig, detection: Detection, links: LinkOptions): ChannelRequest {
  const link = linkOf(detection, links);
  switch (channel.type) {
    case 'webhook':
      return { url: channel.url, body: { type: 'lookback.detection', detection, link } };
    case 'slack':
      return { url: channel.url, body: slackMessage(detection, link) };
    case 'alertmanager':
      return { url: `${channel.url.replace(/\/+$/, '')}/api/v2/alerts`, body: [alertOf(detection, link)] };
  }
}

/**
 * Posts the request: 2xx is delivered; a redirect, or a 4xx other than 408, 425 and 429, will not
 * get better by trying again; anything else may.
 */
export async function send(channel: ChannelConfig, request: ChannelRequest, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { ...channel.headers, 'content-type': 'application/json', 'user-agent': 'Lookback' },
      body: JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.message ?? e.message);
    throw new DeliveryError(`${channel.type} ${channel.name}: ${reason}`, true);
  }
  const text = await bodyStart(response);
  if (response.ok) {
    return;
  }
  const status = response.status;
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const retryAfter = Number(response.headers.get('retry-after'));
  const detail =
    status >= 300 && status < 400 ? `redirects to ${response.headers.get('location') ?? 'nowhere'} (not followed)` : text.trim() || response.statusText;
  throw new DeliveryError(
    `${channel.type} ${channel.name}: HTTP ${status}: ${detail}`,
    retryable,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined
  );
}

/** The first bytes of a response's body, for an error message; the rest is not read. */
async function bodyStart(response: Response): Promise<string> {
  if (!response.body) {
    return '';
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body that breaks off says no more than its status.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
}

function keysText(detection: Detection): string {
  return Object.entries(detection.keys)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function summaryOf(detection: Detection): string {
  const keys = keysText(detection);
  return `${detection.title}${keys ? ` (${keys})` : ''}`;
}

/** Slack's mrkdwn escapes (&, <, >); everything else is text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack incoming-webhook message: `text` for every Slack-compatible receiver, blocks for Slack. */
function slackMessage(detection: Detection, link: string | null) {
  const head = `[${detection.severity.toUpperCase()}] ${summaryOf(detection)}`;
  const when = `${detection.events} event${detection.events === 1 ? '' : 's'} from ${detection.firstSeen} to ${detection.lastSeen}`;
  const fields = [
    `*Rule*\n${slackEscape(detection.ruleId)}`,
    `*Severity*\n${detection.severity}`,
    `*Count*\n${detection.count}`,
    `*Events*\n${slackEscape(when)}`,
    ...Object.entries(detection.keys).map(([k, v]) => `*${slackEscape(k)}*\n${slackEscape(v)}`),
  ].slice(0, 10);
  return {
    text: `${head}: ${when}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(head)}*` } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: link ? `<${link}|Events in Explore> · ${detection.fingerprint}` : `Events: \`${slackEscape(detection.explore.query)}\`` },
        ],
      },
    ],
  };
}

/** A label name Alertmanager accepts. */
function labelName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(clean) ? clean : `_${clean}`;
}

/**
 * An alert of Alertmanager's v2 API. It starts at the first event; without an end, Alertmanager
 * resolves it after its resolve_timeout (a detection is one event in time, not a firing state).
 */
function alertOf(detection: Detection, link: string | null) {
  const keyLabels = Object.fromEntries(Object.entries(detection.keys).map(([k, v]) => [`key_${labelName(k)}`, v]));
  return {
    labels: {
      ...keyLabels,
      alertname: detection.ruleId,
      severity: detection.severity,
      fingerprint: detection.fingerprint,
      source: 'lookback',
    },
    annotations: {
      summary: summaryOf(detection),
      title: detection.title,
      count: String(detection.count),
      events: String(detection.events),
      first_seen: detection.firstSeen,
      last_seen: detection.lastSeen,
      query: detection.explore.query,
      tags: detection.tags.join(', '),
    },
    startsAt: detection.firstSeen,
    ...(link ? { generatorURL: link } : {}),
  };
}
