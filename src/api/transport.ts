import { EmptyError, lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { SidecarError, toSidecarError } from './errors';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SidecarRequest {
  method?: Method;
  /** Path on the sidecar, e.g. `/api/query`. */
  path: string;
  params?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Grafana cancels an earlier request with the same id when a new one starts. */
  requestId?: string;
  /** Says what was attempted, at the start of error messages. */
  what: string;
}

/** Calls to the sidecar through one of Grafana's proxies (plugin or data source). */
export interface SidecarTransport {
  request<T>(req: SidecarRequest): Promise<T>;
}

function withoutUndefined(params: SidecarRequest['params']): Record<string, string | number> | undefined {
  if (!params) {
    return undefined;
  }
  const kept = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return Object.fromEntries(kept);
}

/** `proxyBase` is the proxy URL of the route that adds the token, e.g. `/api/plugin-proxy/<app>/sidecar`. */
export function sidecarTransport(proxyBase: string): SidecarTransport {
  return {
    async request<T>(req: SidecarRequest): Promise<T> {
      try {
        const response = await lastValueFrom(
          getBackendSrv().fetch<T>({
            url: `${proxyBase}${req.path}`,
            method: req.method ?? 'GET',
            params: withoutUndefined(req.params),
            data: req.body,
            requestId: req.requestId,
            showErrorAlert: false,
            showSuccessAlert: false,
          })
        );
        return response.data;
      } catch (err) {
        if (err instanceof EmptyError) {
          // Grafana completes a request without an answer when a newer one with its id starts.
          throw new SidecarError(`${req.what}: cancelled by a newer request`, 0, { cancelled: true });
        }
        throw toSidecarError(err, req.what);
      }
    },
  };
}
