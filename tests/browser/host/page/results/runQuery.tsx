import { from, isObservable, lastValueFrom, type Observable, type Subscription } from 'rxjs';
import { toArray } from 'rxjs/operators';
import {
  CoreApp,
  hasSupplementaryQuerySupport,
  LoadingState,
  rangeUtil,
  SupplementaryQueryType,
  type DataFrame,
  type DataQuery,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type TimeRange,
} from '@grafana/data';
import { getTemplateSrv, toDataQueryError } from '@grafana/runtime';

export interface QueryOutcome {
  state: LoadingState;
  frames: DataFrame[];
  errors: DataQueryError[];
}

let requestCount = 0;

/** Explore's buildQueryTransaction: the request Grafana hands `query()`. */
export function buildRequest(ds: DataSourceApi, queries: DataQuery[], range: TimeRange, maxDataPoints: number): DataQueryRequest {
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, maxDataPoints, ds.interval);
  getTemplateSrv().updateTimeRange(range);
  return {
    app: CoreApp.Explore,
    requestId: `explore_left_${++requestCount}`,
    timezone: 'utc',
    range,
    rangeRaw: range.raw,
    interval,
    intervalMs,
    maxDataPoints,
    targets: queries.map((q) => ({ ...q, datasource: { type: ds.type, uid: ds.uid } })),
    scopedVars: { __interval: { text: interval, value: interval }, __interval_ms: { text: String(intervalMs), value: intervalMs } },
    startTime: Date.now(),
    liveStreaming: false,
  };
}

/** Every packet `query()` emits, merged the way runRequest does (by key, the last one winning). */
async function collect(response: Observable<DataQueryResponse> | Promise<DataQueryResponse>): Promise<QueryOutcome> {
  try {
    const packets = await lastValueFrom((isObservable(response) ? response : from(response)).pipe(toArray()));
    const byKey = new Map<string, DataQueryResponse>();
    packets.forEach((packet, i) => byKey.set(packet.key ?? (packets.length === 1 ? 'A' : `packet-${i}`), packet));
    const merged = [...byKey.values()];
    const errors = merged.flatMap((p) => p.errors ?? (p.error ? [p.error] : []));
    return { state: errors.length ? LoadingState.Error : LoadingState.Done, frames: merged.flatMap((p) => p.data as DataFrame[]), errors };
  } catch (err) {
    return { state: LoadingState.Error, frames: [], errors: [toDataQueryError(err)] };
  }
}

/** The packets so far merged as runRequest does (by key, `A` for none, the last one winning), in the state of the latest. */
function merge(packets: Map<string, DataQueryResponse>, state: LoadingState): QueryOutcome {
  const merged = [...packets.values()];
  const errors = merged.flatMap((p) => p.errors ?? (p.error ? [p.error] : []));
  return { state: errors.length ? LoadingState.Error : state, frames: merged.flatMap((p) => p.data as DataFrame[]), errors };
}

/**
 * Explore's run of the main query: every packet `query()` emits is shown as it comes (a streaming
 * one keeps the run open) until it completes or the caller unsubscribes, as Explore does when
 * the user runs another query or leaves.
 */
export function subscribeMainQuery(ds: DataSourceApi, request: DataQueryRequest, onOutcome: (outcome: QueryOutcome, packets: number) => void): Subscription {
  const packets = new Map<string, DataQueryResponse>();
  let count = 0;
  const failed = (err: unknown) => onOutcome({ state: LoadingState.Error, frames: [], errors: [toDataQueryError(err)] }, count);
  try {
    const response = ds.query(request);
    return (isObservable(response) ? response : from(response)).subscribe({
      next: (packet) => {
        packets.set(packet.key || 'A', packet);
        onOutcome(merge(packets, packet.state ?? LoadingState.Done), ++count);
      },
      complete: () => onOutcome(merge(packets, LoadingState.Done), count),
      error: failed,
    });
  } catch (err) {
    failed(err);
    return from([]).subscribe();
  }
}

export function runMainQuery(ds: DataSourceApi, request: DataQueryRequest): Promise<QueryOutcome> {
  try {
    return collect(ds.query(request));
  } catch (err) {
    return Promise.resolve({ state: LoadingState.Error, frames: [], errors: [toDataQueryError(err)] });
  }
}

/** Explore's logs volume: the data source's supplementary request, when it has one for this request. */
export function runLogsVolume(ds: DataSourceApi, request: DataQueryRequest): Promise<QueryOutcome> | undefined {
  const type = SupplementaryQueryType.LogsVolume;
  if (!hasSupplementaryQuerySupport(ds, type, request)) {
    return undefined;
  }
  if (ds.getSupplementaryRequest) {
    const volume = ds.getSupplementaryRequest(type, request);
    return volume ? runMainQuery(ds, volume) : undefined;
  }
  const targets = request.targets.flatMap((q) => ds.getSupplementaryQuery({ type }, q) ?? []);
  return targets.length ? runMainQuery(ds, { ...request, targets }) : undefined;
}
