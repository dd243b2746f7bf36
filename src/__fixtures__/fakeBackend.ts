import { of, throwError, type Observable } from 'rxjs';

export interface SentRequest {
  method: string;
  url: string;
  data?: unknown;
  params?: Record<string, unknown>;
}

export type Reply = { status: number; body?: unknown };
type Handler = Reply | ((req: SentRequest) => Reply);

/**
 * Grafana's backendSrv for unit tests: answers `fetch` from replies registered per method and
 * path (matched after the query string is dropped), and records what was sent.
 */
export class FakeBackend {
  readonly requests: SentRequest[] = [];
  private readonly handlers = new Map<string, Handler>();

  on(method: string, url: string, handler: Handler): this {
    this.handlers.set(`${method} ${url}`, handler);
    return this;
  }

  sent(method: string, url: string): SentRequest[] {
    return this.requests.filter((r) => r.method === method && r.url === url);
  }

  reset(): void {
    this.requests.length = 0;
    this.handlers.clear();
  }

  fetch = <T>(options: {
    url: string;
    method?: string;
    data?: unknown;
    params?: Record<string, unknown>;
  }): Observable<{ data: T; status: number; ok: boolean }> => {
    const req: SentRequest = { method: options.method ?? 'GET', url: options.url, data: options.data, params: options.params };
    this.requests.push(req);
    const handler = this.handlers.get(`${req.method} ${req.url}`);
    if (!handler) {
      return throwError(() => ({ status: 404, data: { message: `no reply for ${req.method} ${req.url} in this test` } }));
    }
    const reply = typeof handler === 'function' ? handler(req) : handler;
    if (reply.status >= 400) {
      return throwError(() => ({ status: reply.status, statusText: '', data: reply.body }));
    }
    return of({ data: reply.body as T, status: reply.status, ok: true });
  };
}

export const APP_PROXY = '/api/plugin-proxy/lookback-siem-app/sidecar';
