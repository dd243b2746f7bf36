// Shapes of the search API (`/api/query`, `/api/fields`, `/api/histogram`), shared by the data
// source and the sidecar.

export interface QueryRequest {
  /** The pipeline query, e.g. `CloudTrail | where eventName == "ConsoleLogin" | take 100`. */
  query: string;
  /** ISO 8601 time range; always applied to the query. */
  from: string;
  to: string;
  /** Upper bound on returned rows (the sidecar caps it too). */
  maxRows?: number;
  /** Bucket width for `bin(time, $__interval)`: a timespan like `30s`, `5m`, `1h`. */
  interval?: string;
  /** Dashboard variables, bound as parameters wherever the query names `$name`. */
  variables?: Record<string, string | number | string[]>;
}

/** Column types as the data source maps them onto Grafana field types. */
export type ColumnType = 'time' | 'string' | 'number' | 'boolean' | 'other';

export interface QueryColumn {
  name: string;
  type: ColumnType;
  /** The ClickHouse type the column came back as. */
  clickhouseType: string;
}

export interface QueryStats {
  rowsRead: number;
  bytesRead: number;
  elapsedMs: number;
  rowsReturned: number;
  /** True when maxRows cut the result short. */
  truncated: boolean;
}

/** Said when part of the queried range has not been ingested (yet). */
export interface CoverageNotice {
  state: 'partial' | 'none';
  message: string;
  /** Hours of the range not fully loaded, as ISO hour starts (at most a few dozen listed). */
  missingHours: string[];
  /**
   * Of the missing hours, those a running backfill is now loading before the rest of it (this
   * search pulled them forward, or an earlier one did), and when they are expected to be
   * searchable (null until the backfill's pace is known).
   */
  loadingFirst?: { hours: number; expectedAt: string | null };
}

export interface QueryResponse {
  columns: QueryColumn[];
  /** Row-major values; times as ISO 8601 strings. */
  rows: unknown[][];
  stats: QueryStats;
  coverage?: CoverageNotice;
  /** The visualization a `render` stage asked for (`timechart`, `barchart`, `table`, ...). */
  render?: string;
}

/** Where a query error is, 1-based. */
export interface QueryErrorPosition {
  line: number;
  column: number;
  offset: number;
  length: number;
}

/** The 400 body of a query that does not compile. */
export interface QueryErrorBody {
  statusCode: 400;
  error: 'Bad Request';
  message: string;
  position?: QueryErrorPosition;
  expected?: string[];
}

export interface FieldInfo {
  name: string;
  type: ColumnType;
}

export interface TableInfo {
  /** Name in the language: `events`, `CloudTrail`, `ALB`, `VPCFlow`, ... */
  name: string;
  /** The log type the table selects, or null for `events` (and tables of something else). */
  logType: string | null;
  /** What a table that holds no events holds (`Detections`). */
  detail?: string;
  fields: FieldInfo[];
}

export interface FieldsResponse {
  tables: TableInfo[];
}

export interface FieldValuesResponse {
  field: string;
  values: Array<{ value: string; count: number }>;
}

export interface HistogramRequest {
  /** Optional pipeline whose rows are counted; all events when absent. */
  query?: string;
  from: string;
  to: string;
  interval?: string;
  /** Column to split the counts by (default `severity`). */
  by?: string;
  variables?: QueryRequest['variables'];
}

export interface HistogramResponse {
  interval: string;
  buckets: Array<{ time: string; group: string; count: number }>;
}
