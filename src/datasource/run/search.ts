import type { AdHocVariableFilter, DataFrame, DataQueryRequest, QueryResultMeta } from '@grafana/data';
import type { QueryResponse } from '../../shared/query';
import type { SidecarClient } from '../../api/client';
import { logsFrame } from '../frames/logs';
import { responseMeta } from '../frames/meta';
import { tableFrame } from '../frames/table';
import { timeSeriesFrames } from '../frames/timeseries';
import { searchWords } from '../text/searchWords';
import type { VariableSource } from '../text/variables';
import { DEFAULT_MAX_LINES, TIMESERIES_MAX_ROWS, type LookbackQuery, type QueryFormat } from '../types';
import { formatInterval } from './interval';
import { prepareQuery, type PreparedQuery } from './prepare';
import { toQueryError } from './queryError';
import type { LoadingFirst } from './refresh';

export interface SearchContext {
  client: SidecarClient;
  variables: VariableSource;
  /** The data source's line limit for queries that set none. */
  maxLines?: number;
}

export interface TargetResult {
  frames: DataFrame[];
  error?: ReturnType<typeof toQueryError>;
  /** Missing hours of the range a running backfill is loading first. */
  loadingFirst?: LoadingFirst;
  /** Whether the answer says some hours of the range are not loaded (a coverage notice). */
  missingHours?: boolean;
}

function rowLimit(target: LookbackQuery, defaultLines: number | undefined): number {
  if (target.maxLines && target.maxLines > 0) {
    return Math.floor(target.maxLines);
  }
  return target.format === 'timeseries' ? TIMESERIES_MAX_ROWS : (defaultLines ?? DEFAULT_MAX_LINES);
}

/** The format a query's `render` asks for: charts over time are time series, other charts and tables are tables. */
export function renderFormat(render: string | undefined): QueryFormat | undefined {
  if (!render) {
    return undefined;
  }
  return ['timechart', 'linechart', 'areachart', 'stackedareachart', 'anomalychart', 'scatterchart'].includes(render) ? 'timeseries' : 'table';
}

function framesFor(target: LookbackQuery, response: QueryResponse, meta: QueryResultMeta, limit: number, text: string): DataFrame[] {
  const { refId } = target;
  const format = renderFormat(response.render) ?? target.format ?? 'logs';
  // The editor shows a query without a format as logs.
  if (format === 'logs') {
    const frame = logsFrame(refId, response, meta, { limit, searchWords: searchWords(text) });
    if (frame) {
      return [frame];
    }
    const notice = { severity: 'info' as const, text: 'No time column in the result, so it is shown as a table: log lines need `time`' };
    return [tableFrame(refId, response, { ...meta, notices: [...(meta.notices ?? []), notice] })];
  }
  if (format === 'timeseries') {
    const frames = timeSeriesFrames(refId, response, { ...meta, ...(response.render ? { preferredVisualisationType: 'graph' as const } : {}) });
    if (frames) {
      return frames;
    }
    const notice = { severity: 'info' as const, text: 'A time series needs a time and a number column, e.g. `| summarize count() by bin(time, $__interval)`' };
    return [tableFrame(refId, response, { ...meta, notices: [...(meta.notices ?? []), notice] })];
  }
  return [tableFrame(refId, response, { ...meta, ...(response.render ? { preferredVisualisationType: 'table' as const } : {}) })];
}

/** Runs one pipeline query and builds the frames of its format. */
export async function runSearch(
  ctx: SearchContext,
  target: LookbackQuery,
  request: DataQueryRequest<LookbackQuery>,
  filters: readonly AdHocVariableFilter[]
): Promise<TargetResult> {
  let prepared: PreparedQuery | undefined;
  try {
    prepared = prepareQuery(target.query, request.scopedVars, filters, ctx.variables);
    const limit = rowLimit(target, ctx.maxLines);
    const range = { from: request.range.from.toISOString(), to: request.range.to.toISOString() };
    const response = await ctx.client.query(
      {
        query: prepared.edited.text,
        ...range,
        maxRows: limit,
        interval: formatInterval(request.intervalMs),
        ...(Object.keys(prepared.variables).length > 0 ? { variables: prepared.variables } : {}),
      },
      request.requestId ? `${request.requestId}_${target.refId}` : undefined
    );
    const meta = responseMeta(response, prepared.edited.text, range);
    const loadingFirst = response.coverage?.loadingFirst;
    return {
      frames: framesFor(target, response, meta, limit, prepared.edited.text),
      ...(loadingFirst ? { loadingFirst } : {}),
      ...(response.coverage ? { missingHours: true } : {}),
    };
  } catch (err) {
    return { frames: [], error: toQueryError(err, target.refId, prepared?.edited) };
  }
}
