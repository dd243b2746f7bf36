import type { FieldInfo, FieldsResponse, FieldValuesResponse, HistogramRequest, HistogramResponse, QueryRequest, QueryResponse } from '../../shared/query';
import type { Store } from '../store/store';
import { toIso } from '../store/time';
import { FieldCatalog, type CatalogOptions } from './catalog';
import { coverageFor } from './coverage';
import { withLoadingFirst, type LoadFirst } from './loadingFirst';
import { QueryError, UnknownFieldError } from './errors';
import { DEFAULT_LIMITS, execute, type QueryLimits } from './execute';
import { compileChecked, requestInterval, requestRange } from './prepare';
import { RELATIONS } from './detectionsTable';
import { toColumns, toRows, type DynamicColumns } from './results';
import { COMMON_COLUMNS, TABLES, tableByName, type ValueType } from './tables';
import { SENTINEL_TABLES, sentinelTable } from './sentinel/tables';
import type { KqlType } from './sentinel/mapping';
import { formatTimespan, niceInterval } from './timespan';

export const DEFAULT_ROWS = 1000;
export const MAX_ROWS = 100_000;
const MAX_BUCKETS = 10_000;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.@-]*$/;

export interface QueryServiceOptions {
  limits?: Partial<QueryLimits>;
  catalog?: Partial<CatalogOptions>;
  /** Missing hours of a search go first in running backfills (query-driven priority). */
  loadFirst?: LoadFirst;
}

/** The search API: runs queries, lists fields and their top values, counts log volume. */
export class QueryService {
  readonly catalog: FieldCatalog;
  private readonly limits: QueryLimits;
  private readonly loadFirst?: LoadFirst;

  constructor(
    private readonly store: Store,
    options: QueryServiceOptions = {}
  ) {
    this.catalog = new FieldCatalog(store, options.catalog);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.loadFirst = options.loadFirst;
  }

  async query(request: QueryRequest): Promise<QueryResponse> {
    const range = requestRange(request.from, request.to);
    const maxRows = Math.min(Math.max(1, Math.floor(request.maxRows ?? DEFAULT_ROWS)), MAX_ROWS);
    const compiled = await compileChecked(this.catalog, request.query, {
      ...range,
      maxRows,
      intervalMs: requestInterval(request.interval),
      variables: request.variables,
    }).catch((err: unknown) => this.unknownFieldOfUnloadedHours(err, range, request.query));
    const started = Date.now();
    const result = await execute<Record<string, unknown>>(this.store, compiled.sql, compiled.params, this.limits, maxRows + 1);
    const elapsedMs = Date.now() - started;
    const dynamic: DynamicColumns = new Map(
      compiled.columns.flatMap((c): Array<[string, 'value' | 'array']> =>
        c.type === 'dynamic' ? [[c.name, 'value']] : c.type === 'array' && c.element === 'dynamic' ? [[c.name, 'array']] : []
      )
    );
    const columns = toColumns(result.meta, dynamic);
    const truncated = result.rows.length > maxRows;
    const rows = toRows(columns, truncated ? result.rows.slice(0, maxRows) : result.rows, dynamic);
    const missing = await coverageFor(this.store, range.from, range.to, compiled.logTypes);
    const coverage = missing && (await withLoadingFirst(missing, this.loadFirst, compiled.logTypes, request.query));
    return {
      columns,
      rows,
      stats: { rowsRead: result.rowsRead, bytesRead: result.bytesRead, elapsedMs, rowsReturned: rows.length, truncated },
      ...(coverage ? { coverage } : {}),
      ...(compiled.render ? { render: compiled.render } : {}),
    };
  }

  /**
   * A field is unknown until some log that holds it is loaded. When no log the query reads is
   * loaded for its range yet, running backfills load those hours first all the same; when none
   * of those types is loaded anywhere yet (the field catalog knows none of their fields), the
   * error says the field may be in them. (With logs of those types loaded, a typo, most likely.)
   */
  private async unknownFieldOfUnloadedHours(err: unknown, range: { from: number; to: number }, text: string): Promise<never> {
    if (!(err instanceof UnknownFieldError) || err.logTypes === undefined) {
      throw err;
    }
    const missing = await coverageFor(this.store, range.from, range.to, err.logTypes).catch(() => undefined);
    if (missing?.state !== 'none') {
      throw err;
    }
    const notice = await withLoadingFirst(missing, this.loadFirst, err.logTypes, text);
    const snapshot = await this.catalog.snapshot();
    if ((err.logTypes ?? [null]).some((type) => snapshot.keysFor(type).size > 0)) {
      throw err;
    }
    throw new UnknownFieldError(`${err.message}; it may be in logs not loaded yet: ${notice.message}`, err.span, err.expected);
  }

  /** Event counts per time bucket, split by a column (severity unless asked). */
  async histogram(request: HistogramRequest): Promise<HistogramResponse> {
    const range = requestRange(request.from, request.to);
    const intervalMs = requestInterval(request.interval) ?? niceInterval(range.to - range.from, 100);
    if ((range.to - range.from) / intervalMs > MAX_BUCKETS) {
      throw new QueryError(`interval ${formatTimespan(intervalMs)} makes more than ${MAX_BUCKETS} buckets in this range: use a larger one`);
    }
    const by = fieldRef(request.by ?? 'severity', 'by');
    const compiled = await synthetic(
      'by',
      () =>
        compileChecked(
          this.catalog,
          request.query?.trim() ? request.query : 'events',
          { ...range, maxRows: MAX_BUCKETS * 100, intervalMs, variables: request.variables },
          `| summarize count = count() by time = bin(time, $__interval), group = tostring(${by})`
        ),
      request.query ?? 'events'
    );
    const result = await execute<{ time: string; group: string; count: number }>(this.store, compiled.sql, compiled.params, this.limits);
    if (this.loadFirst) {
      // The histogram has no notice of its own, but the hours it shows go first too, after it answered.
      const loadFirst = this.loadFirst;
      void coverageFor(this.store, range.from, range.to, compiled.logTypes)
        .then((notice) => notice && loadFirst(notice, compiled.logTypes, request.query ?? 'events'))
        .catch(() => undefined);
    }
    return {
      interval: formatTimespan(intervalMs),
      buckets: result.rows.map((r) => ({ time: toIso(r.time), group: r.group, count: Number(r.count) })),
    };
  }

  /** Names and types of every table's columns and known fields, for autocomplete. */
  async fields(): Promise<FieldsResponse> {
    const snapshot = await this.catalog.snapshot();
    const common: FieldInfo[] = COMMON_COLUMNS.map((c) => ({ name: c.name, type: fieldType(c.type) }));
    const commonNames = new Set(COMMON_COLUMNS.map((c) => c.name));
    const relations = RELATIONS.map((r) => ({
      name: r.name,
      logType: null,
      detail: r.detail,
      fields: r.columns.map((c) => ({ name: c.name, type: fieldType(c.type) })),
    }));
    return {
      tables: [
        ...TABLES.map((t) => {
          const keys = [...snapshot.keysFor(t.logType)].sort();
          const mapped: FieldInfo[] = keys.map((k) => ({ name: commonNames.has(k) ? `fields.${k}` : k, type: 'string' }));
          return { name: t.name, logType: t.logType, fields: [...common, ...mapped] };
        }),
        ...relations,
        // Sentinel's tables: their columns are fixed, whatever was ingested.
        ...SENTINEL_TABLES.map((t) => ({ name: t.name, logType: t.logType, fields: t.columns.map((c) => ({ name: c.name, type: kqlFieldType(c.type) })) })),
      ],
    };
  }

  /** The most frequent non-empty values of a field in the range. */
  async fieldValues(field: string, options: { table?: string; from: string; to: string; limit?: number }): Promise<FieldValuesResponse> {
    const table = options.table ?? 'events';
    const sentinel = sentinelTable(table);
    if (!tableByName(table) && !sentinel) {
      throw new QueryError(`unknown table "${table}"`);
    }
    // A Sentinel table's columns are fixed: the name must be one of them.
    if (sentinel && !sentinel.columns.some((c) => c.name === field)) {
      throw new QueryError(`unknown column "${field}" of ${table}`);
    }
    const range = requestRange(options.from, options.to);
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 10)), 1000);
    const ref = sentinel ? field : fieldRef(field, 'field');
    const compiled = await synthetic(
      'field',
      () =>
        compileChecked(
          this.catalog,
          table,
          { ...range, maxRows: limit },
          `| where isnotempty(tostring(${ref})) | summarize count = count() by value = tostring(${ref}) | top ${limit} by count desc`
        ),
      table
    );
    const result = await execute<{ value: string; count: number }>(this.store, compiled.sql, compiled.params, this.limits);
    return { field, values: result.rows.map((r) => ({ value: r.value, count: Number(r.count) })) };
  }
}

function kqlFieldType(type: KqlType): FieldInfo['type'] {
  switch (type) {
    case 'datetime':
      return 'time';
    case 'int':
    case 'long':
    case 'real':
      return 'number';
    case 'string':
      return 'string';
    case 'bool':
      return 'boolean';
    default:
      return 'other';
  }
}

function fieldType(type: ValueType): FieldInfo['type'] {
  switch (type) {
    case 'time':
      return 'time';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'bool':
      return 'boolean';
    default:
      return 'other';
  }
}

/** A field name from a request, quoted for the query text. */
function fieldRef(name: string, what: string): string {
  if (FIELD_NAME.test(name)) {
    return name.split('.').every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) ? name : `\`${name}\``;
  }
  if (name.includes('`') || name.length > 256 || name.length === 0) {
    throw new QueryError(`${what} "${name}" is not a field name`);
  }
  return `\`${name}\``;
}

/**
 * Errors in the stages the API appends point past the user's text: report them against the
 * request parameter (`by`, `field`) instead of a position.
 */
async function synthetic<T>(what: string, run: () => Promise<T>, userText: string): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof QueryError && err.span && err.span.offset > userText.length) {
      throw new QueryError(`${what}: ${err.message}`, undefined, err.expected);
    }
    throw err;
  }
}
