import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

export type QueryFormat = 'logs' | 'table' | 'timeseries';

export const QUERY_FORMATS: ReadonlyArray<{ value: QueryFormat; label: string; description: string }> = [
  { value: 'logs', label: 'Logs', description: 'Events as log lines: body, severity, labels' },
  { value: 'table', label: 'Table', description: 'Rows with typed columns' },
  { value: 'timeseries', label: 'Time series', description: 'One series per group of summarize ... by bin(time, $__interval)' },
];

/** Sidecar state the data source can chart besides query results. */
export type StatusResource = 'sources' | 'backfills';

export interface LookbackQuery extends DataQuery {
  /** A pipeline in the search language; see the sidecar's query README. */
  query: string;
  format: QueryFormat;
  /** Most rows (log lines) to return; the data source default when absent. */
  maxLines?: number;
  /** Set instead of `query` to read the sidecar's own state (health dashboards). */
  status?: StatusResource;
  /** Internal: the log volume histogram that Explore asks for beside a logs query. */
  supplementary?: 'logsVolume';
}

export type VolumeGrouping = 'severity' | 'outcome';

export interface LookbackOptions extends DataSourceJsonData {
  /** Where Grafana's server reaches the sidecar; the proxy routes read it. */
  sidecarUrl?: string;
  /** Line limit of queries that set none. */
  maxLines?: number;
  /** What the log volume histogram splits counts by. */
  volumeBy?: VolumeGrouping;
}

/** Write-only from the browser; the proxy routes inject it. */
export interface LookbackSecureJsonData {
  apiToken?: string;
}

export const DEFAULT_MAX_LINES = 1000;
/** Rows a time series query may return (buckets × series). */
export const TIMESERIES_MAX_ROWS = 50_000;

export const DEFAULT_QUERY: Partial<LookbackQuery> = {
  query: 'events',
  format: 'logs',
};
