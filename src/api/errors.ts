import type { FieldErrorsBody } from '../shared/backfill';
import type { QueryErrorPosition } from '../shared/query';

export type FieldError = FieldErrorsBody['fields'][number];

/** The body of the 400 Grafana's data source proxy sends when the upstream answered 401. */
export const DATA_SOURCE_AUTH_FAILED = 'Authentication to data source failed';

/** A failed call to the sidecar, with the sidecar's (or Grafana's proxy's) reason. */
export class SidecarError extends Error {
  /** HTTP status; 0 when no answer came back. */
  readonly status: number;
  /** Field-by-field problems of a rejected request body. */
  readonly fields: FieldError[];
  /** Where in a query the compiler stopped. */
  readonly position?: QueryErrorPosition;
  /** The error body as the sidecar sent it. */
  readonly body?: unknown;
  /** Grafana dropped the request because a newer one with the same id started. */
  readonly cancelled: boolean;

  constructor(message: string, status: number, details: { fields?: FieldError[]; position?: QueryErrorPosition; body?: unknown; cancelled?: boolean } = {}) {
    super(message);
    this.name = 'SidecarError';
    this.status = status;
    this.fields = details.fields ?? [];
    this.position = details.position;
    this.body = details.body;
    this.cancelled = details.cancelled ?? false;
  }
}

interface FetchFailure {
  status: number;
  statusText?: string;
  data?: unknown;
  message?: string;
  cancelled?: boolean;
}

function isFetchFailure(err: unknown): err is FetchFailure {
  return typeof err === 'object' && err !== null && typeof (err as FetchFailure).status === 'number';
}

function bodyMessage(data: unknown): string | undefined {
  if (typeof data === 'string') {
    return data.trim() || undefined;
  }
  if (typeof data === 'object' && data !== null) {
    const { message, error } = data as { message?: unknown; error?: unknown };
    if (typeof message === 'string' && message) {
      return message;
    }
    if (typeof error === 'string' && error) {
      return error;
    }
  }
  return undefined;
}

function fieldErrors(data: unknown): FieldError[] {
  const fields = (data as Partial<FieldErrorsBody> | undefined)?.fields;
  return Array.isArray(fields) ? fields.filter((f): f is FieldError => typeof f?.field === 'string' && typeof f?.message === 'string') : [];
}

function positionOf(data: unknown): QueryErrorPosition | undefined {
  const position = (data as { position?: QueryErrorPosition } | undefined)?.position;
  return position && typeof position.line === 'number' && typeof position.column === 'number' ? position : undefined;
}

/**
 * What `getBackendSrv().fetch` rejected with, as a SidecarError that says what went wrong:
 * the sidecar's own message when it answered, Grafana's proxy failure otherwise.
 */
export function toSidecarError(err: unknown, what: string): SidecarError {
  if (err instanceof SidecarError) {
    return err;
  }
  if (!isFetchFailure(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new SidecarError(`${what}: ${message}`, 0);
  }
  const said = bodyMessage(err.data);
  const fields = fieldErrors(err.data);
  const position = positionOf(err.data);
  let message: string;
  switch (true) {
    case err.status === 0:
      message = `${what}: no answer from Grafana${said ? ` (${said})` : ''}`;
      break;
    case err.status === 401:
      message = `${what}: the sidecar rejected the API token${said ? ` (${said})` : ''}; set the token the sidecar printed on first start`;
      break;
    case err.status === 400 && said === DATA_SOURCE_AUTH_FAILED:
      // Grafana's data source proxy turns the sidecar's 401 into this 400.
      message = `${what}: the sidecar rejected the API token (Grafana says "${DATA_SOURCE_AUTH_FAILED}"); set the token the sidecar printed on first start in the data source's settings`;
      break;
    case err.status === 403:
      message = `${what}: Grafana refused the request${said ? ` (${said})` : ''}; your role may not be allowed to do this`;
      break;
    case err.status === 504:
      message = `${what}: the sidecar did not answer within Grafana's data proxy timeout (HTTP 504); narrow the time range or the query, or raise [dataproxy] timeout in Grafana's configuration (the sidecar stops a search after query.maxExecutionSeconds, 25 s by default: keep it below)`;
      break;
    case err.status === 502:
      message = `${what}: Grafana could not reach the sidecar (HTTP 502${said ? `: ${said}` : ''}); check the sidecar URL and that the sidecar is running`;
      break;
    default:
      message = said ? (err.status >= 500 ? `${what}: ${said}` : said) : `${what}: HTTP ${err.status}${err.statusText ? ` ${err.statusText}` : ''}`;
  }
  return new SidecarError(message, err.status, { fields, position, body: err.data, cancelled: err.cancelled });
}
