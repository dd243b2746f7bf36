import type { HealthResponse, LedgerEntry, Source } from '../shared/api';
import type { Backfill, BackfillEstimate, BackfillRequest, CoverageResponse, PriorityRequest, PulledForward, SourceStatus } from '../shared/backfill';
import type { Detection, DetectionListParams, DetectionList, DetectionStatus, Hunt, HuntRequest, RulesResponse, RuleSummary } from '../shared/detections';
import type { FieldsResponse, FieldValuesResponse, HistogramRequest, HistogramResponse, QueryRequest, QueryResponse } from '../shared/query';
import { SidecarError } from './errors';
import { sidecarTransport, type SidecarTransport } from './transport';

/**
 * The sidecar's HTTP API as Grafana's proxies reach it: the app's route (`/api/plugin-proxy/<app>/sidecar`)
 * or the data source's (`/api/datasources/proxy/uid/<uid>/sidecar`), which add the API token.
 */
export class SidecarClient {
  private readonly transport: SidecarTransport;

  constructor(proxyBase: string) {
    this.transport = sidecarTransport(proxyBase);
  }

  // Search.

  query(body: QueryRequest, requestId?: string): Promise<QueryResponse> {
    return this.transport.request({ method: 'POST', path: '/api/query', body, requestId, what: 'query' });
  }

  histogram(body: HistogramRequest, requestId?: string): Promise<HistogramResponse> {
    return this.transport.request({ method: 'POST', path: '/api/histogram', body, requestId, what: 'log volume' });
  }

  fields(): Promise<FieldsResponse> {
    return this.transport.request({ path: '/api/fields', what: 'list fields' });
  }

  /** The field's name goes in the query string: proxies mangle escapes in paths (see the route). */
  fieldValues(field: string, options: { from: string; to: string; table?: string; limit?: number }): Promise<FieldValuesResponse> {
    return this.transport.request({ path: '/api/fields/values', params: { field, ...options }, what: `values of ${field}` });
  }

  // State.

  /** Health answers 503 with the same body when a check fails: that is a result, not an error. */
  async health(): Promise<HealthResponse> {
    try {
      return await this.transport.request<HealthResponse>({ path: '/api/health', what: 'health check' });
    } catch (err) {
      const body = err instanceof SidecarError ? (err.body as Partial<HealthResponse> | undefined) : undefined;
      if (err instanceof SidecarError && err.status === 503 && body?.store && Array.isArray(body.queues)) {
        return body as HealthResponse;
      }
      throw err;
    }
  }

  /** Sources with their last event, queue depths and failures; needs the token, unlike health. */
  sources(): Promise<SourceStatus[]> {
    return this.transport.request({ path: '/api/sources', what: 'list sources' });
  }

  createSource(source: Source): Promise<Source> {
    return this.transport.request({ method: 'POST', path: '/api/sources', body: source, what: 'add the source' });
  }

  updateSource(id: string, source: Source): Promise<Source> {
    return this.transport.request({ method: 'PUT', path: `/api/sources/${encodeURIComponent(id)}`, body: source, what: `save source ${id}` });
  }

  removeSource(id: string): Promise<void> {
    return this.transport.request({ method: 'DELETE', path: `/api/sources/${encodeURIComponent(id)}`, what: `remove source ${id}` });
  }

  /** Ledger entries of objects that failed or had malformed records, newest first: a source's, or one backfill's. */
  async objectProblems(sourceId: string, backfillId?: string, limit = 200): Promise<LedgerEntry[]> {
    const body = await this.transport.request<{ objects: LedgerEntry[] }>({
      path: '/api/objects',
      params: { source: sourceId, backfill: backfillId, problems: 'true', limit },
      what: 'objects with problems',
    });
    return body.objects;
  }

  // Backfills.

  async backfills(sourceId?: string): Promise<Backfill[]> {
    const body = await this.transport.request<{ backfills: Backfill[] }>({ path: '/api/backfills', params: { source: sourceId }, what: 'list backfills' });
    return body.backfills;
  }

  estimateBackfill(request: BackfillRequest): Promise<BackfillEstimate> {
    return this.transport.request({ method: 'POST', path: '/api/backfills/estimate', body: request, what: 'estimate' });
  }

  startBackfill(request: BackfillRequest): Promise<Backfill> {
    return this.transport.request({ method: 'POST', path: '/api/backfills', body: request, what: 'start the backfill' });
  }

  cancelBackfill(id: string): Promise<Backfill> {
    return this.transport.request({ method: 'POST', path: `/api/backfills/${encodeURIComponent(id)}/cancel`, what: `cancel backfill ${id}` });
  }

  /** Loads these hours of a running backfill before the rest of it. */
  prioritizeBackfill(id: string, request: PriorityRequest): Promise<PulledForward> {
    return this.transport.request({
      method: 'POST',
      path: `/api/backfills/${encodeURIComponent(id)}/priority`,
      body: request,
      what: `load these hours of backfill ${id} first`,
    });
  }

  coverage(sourceId: string, from: string, to: string): Promise<CoverageResponse> {
    return this.transport.request({ path: '/api/coverage', params: { source: sourceId, from, to }, what: 'coverage' });
  }

  // Detections.

  rules(): Promise<RulesResponse> {
    return this.transport.request({ path: '/api/rules', what: 'list rules' });
  }

  setRuleEnabled(id: string, enabled: boolean, by?: string): Promise<RuleSummary> {
    return this.transport.request({
      method: 'PUT',
      path: `/api/rules/${encodeURIComponent(id)}/settings`,
      body: { enabled, by },
      what: `${enabled ? 'enable' : 'disable'} rule ${id}`,
    });
  }

  detections(filter: DetectionListParams = {}): Promise<DetectionList> {
    return this.transport.request({ path: '/api/detections', params: { ...filter }, what: 'list detections' });
  }

  setDetectionStatus(fingerprint: string, status: DetectionStatus, by?: string): Promise<Detection> {
    return this.transport.request({
      method: 'POST',
      path: `/api/detections/${encodeURIComponent(fingerprint)}/status`,
      body: { status, by },
      what: `mark the detection ${status}`,
    });
  }

  async hunts(limit = 20): Promise<Hunt[]> {
    const body = await this.transport.request<{ hunts: Hunt[] }>({ path: '/api/hunts', params: { limit }, what: 'list hunts' });
    return body.hunts;
  }

  startHunt(request: HuntRequest): Promise<Hunt> {
    return this.transport.request({ method: 'POST', path: '/api/hunts', body: request, what: 'start the hunt' });
  }
}
