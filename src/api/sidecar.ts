import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import type { HealthResponse } from '../shared/api';
import { SIDECAR_PROXY } from '../constants';

/** GET through Grafana's plugin proxy; a non-2xx answer rejects with the sidecar's message. */
export async function sidecarGet<T>(path: string): Promise<T> {
  const response = await lastValueFrom(getBackendSrv().fetch<T>({ url: `${SIDECAR_PROXY}${path}`, method: 'GET', showErrorAlert: false }));
  return response.data;
}

export function fetchHealth(): Promise<HealthResponse> {
  return sidecarGet<HealthResponse>('/api/health');
}
