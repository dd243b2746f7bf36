import { lastValueFrom, Observable, Subject } from 'rxjs';
import { filter, map, takeUntil, throwIfEmpty } from 'rxjs/operators';
import { AppEvents, DataQueryErrorType, type EventBus } from '@grafana/data';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

// Grafana's BackendSrv (public/app/core/services/backend_srv.ts) as far as plugins can tell:
// URLs relative to the page's <base href="/">, a JSON content type by default, JSON bodies,
// errors as FetchError objects, toasts for failed writes, and `requestId` cancelling the
// previous request with the same id.

const isLocalUrl = (url: string) => !/^https?:/.test(url);
const isDataQuery = (url: string) => url.includes('api/datasources/proxy') || url.includes('api/ds/query');

function requestUrl(options: BackendSrvRequest): string {
  let url = options.url;
  if (isLocalUrl(url)) {
    url = url.replace(/^\/+/, '').replace(/\/+$/, '');
  }
  const params = Object.entries(options.params ?? {}).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0));
  if (params.length === 0) {
    return url;
  }
  const search = new URLSearchParams();
  for (const [key, value] of params) {
    for (const item of Array.isArray(value) ? value : [value]) {
      search.append(key, String(item));
    }
  }
  return `${url}${url.includes('?') ? '&' : '?'}${search.toString()}`;
}

function requestInit(options: BackendSrvRequest, signal: AbortSignal): RequestInit {
  const headers = new Headers(options.headers ?? {});
  if (!headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  if (!headers.has('Accept')) {
    headers.set('Accept', 'application/json, text/plain, */*');
  }
  // Grafana never lets a plugin's own Authorization header through its proxy as is.
  if (isLocalUrl(options.url) && headers.has('Authorization')) {
    headers.set('X-DS-Authorization', headers.get('Authorization')!);
    headers.delete('Authorization');
  }
  const data = options.data;
  const isJson = headers.get('Content-Type')!.includes('application/json');
  let body: BodyInit | undefined;
  if (data === undefined || data === null || typeof data === 'string' || data instanceof Blob || data instanceof FormData) {
    body = data ?? undefined;
  } else {
    body = isJson ? JSON.stringify(data) : new URLSearchParams(data as Record<string, string>);
  }
  return { method: options.method ?? 'GET', headers, body, signal, credentials: options.credentials ?? 'same-origin' };
}

async function readBody(response: Response, responseType: BackendSrvRequest['responseType']): Promise<unknown> {
  if (responseType === 'blob') {
    return response.blob();
  }
  if (responseType === 'arraybuffer') {
    return response.arrayBuffer();
  }
  const text = await response.text();
  if (responseType === 'text') {
    return text;
  }
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function toFetchError(response: Response, data: unknown, config: BackendSrvRequest): FetchError {
  let body = data as FetchError['data'];
  if (typeof body === 'string') {
    body = { error: response.statusText, response: body, message: body };
  }
  if (body && typeof body === 'object' && !body.message && typeof body.error === 'string') {
    body.message = body.error;
  }
  return { status: response.status, statusText: response.statusText, data: body, config };
}

export class HostBackendSrv implements BackendSrv {
  private readonly inFlight = new Subject<string>();

  constructor(private readonly events: EventBus) {}

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    if (options.validatePath && options.url.split(/[/?]/).includes('..')) {
      return new Observable((subscriber) => subscriber.error(new Error(`invalid request path ${options.url}`)));
    }
    const request = new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      const signal = options.abortSignal ? AbortSignal.any([controller.signal, options.abortSignal]) : controller.signal;
      const url = requestUrl(options);
      fetch(url, requestInit(options, signal))
        .then(async (response) => {
          const data = await readBody(response, options.responseType);
          if (!response.ok) {
            throw toFetchError(response, data, options);
          }
          const result: FetchResponse<T> = {
            data: data as T,
            status: response.status,
            statusText: response.statusText,
            ok: response.ok,
            headers: response.headers,
            redirected: response.redirected,
            type: response.type,
            url: response.url,
            config: options,
          };
          this.successAlert(result);
          subscriber.next(result);
          subscriber.complete();
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted) {
            return;
          }
          const error: FetchError =
            err && typeof err === 'object' && 'status' in err
              ? (err as FetchError)
              : { status: -1, statusText: 'network error', data: { message: String((err as Error)?.message ?? err) }, config: options };
          this.errorAlert(error);
          subscriber.error(error);
        });
      return () => controller.abort();
    });
    const requestId = options.requestId;
    if (!requestId) {
      return request;
    }
    this.inFlight.next(requestId);
    return request.pipe(
      takeUntil(this.inFlight.pipe(filter((id) => id === requestId))),
      throwIfEmpty(() => ({
        type: DataQueryErrorType.Cancelled,
        cancelled: true,
        data: null,
        status: -1,
        statusText: 'Request was aborted',
        config: options,
      }))
    );
  }

  private successAlert(response: FetchResponse): void {
    const { config } = response;
    if (config.showSuccessAlert === false) {
      return;
    }
    if (config.showSuccessAlert === undefined && ((config.method ?? 'GET') === 'GET' || isDataQuery(config.url) || !isLocalUrl(config.url))) {
      return;
    }
    const message = (response.data as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string' && message) {
      this.events.publish({ type: AppEvents.alertSuccess.name, payload: [message] });
    }
  }

  private errorAlert(error: FetchError): void {
    const { config } = error;
    if (config.showErrorAlert === false) {
      return;
    }
    if (config.showErrorAlert === undefined && ((config.method ?? 'GET') === 'GET' || isDataQuery(config.url) || !isLocalUrl(config.url))) {
      return;
    }
    if (error.status === 422) {
      return;
    }
    const message = (error.data as { message?: string } | undefined)?.message ?? error.statusText ?? 'Unknown error';
    this.events.publish({ type: AppEvents.alertError.name, payload: [message] });
  }

  private async data<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  get<T>(url: string, params?: BackendSrvRequest['params'], requestId?: string, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, url, params, requestId, method: 'GET' });
  }

  delete<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, url, data, method: 'DELETE' });
  }

  post<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, url, data, method: 'POST' });
  }

  patch<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, url, data, method: 'PATCH' });
  }

  put<T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>): Promise<T> {
    return this.data<T>({ ...options, url, data, method: 'PUT' });
  }

  request<T>(options: BackendSrvRequest): Promise<T> {
    return this.data<T>(options);
  }

  datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  chunked(options: BackendSrvRequest): Observable<FetchResponse<Uint8Array | undefined>> {
    return this.fetch<ArrayBuffer | undefined>({ ...options, responseType: 'arraybuffer' }).pipe(
      map((response) => ({ ...response, data: response.data ? new Uint8Array(response.data) : undefined }))
    );
  }
}
