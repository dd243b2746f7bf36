import {
  DataSourceApi,
  LoadingState,
  SupplementaryQueryType,
  type AdHocVariableFilter,
  type AnnotationSupport,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type DataSourceWithLogsContextSupport,
  type DataSourceWithQueryModificationSupport,
  type DataSourceWithSupplementaryQueriesSupport,
  type DataSourceWithToggleableQueryFiltersSupport,
  type LegacyMetricFindQueryOptions,
  type LogRowContextOptions,
  type LogRowModel,
  type MetricFindValue,
  type QueryFilterOptions,
  type QueryFixAction,
  type ScopedVars,
  type SupplementaryQueryOptions,
  type TestDataSourceResponse,
  type ToggleFilterAction,
  getDefaultTimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import type { Observable } from 'rxjs';
import { testConnection } from '../api/connection';
import { annotationSupport } from './annotations';
import { SidecarClient } from '../api/client';
import { contextQuery, logRowContext } from './logContext';
import { metricFind } from './metricFind';
import { modifyQuery, queryHasFilter, SUPPORTED_MODIFICATIONS, toggleQueryFilter } from './modify';
import { answerAndRefresh, latestLoadingFirst, type Answer } from './run/refresh';
import { runSearch, type SearchContext, type TargetResult } from './run/search';
import { runStatus } from './run/status';
import { runVolume } from './run/volume';
import { inlineVariables, referencedVariables, resolveVariables } from './text/variables';
import { scanQuery } from './text/scan';
import { adHocCondition, addFilterStage } from './text/stages';
import { DEFAULT_QUERY, type LookbackOptions, type LookbackQuery, type VolumeGrouping } from './types';

const VOLUME_REF_PREFIX = 'log-volume-';

export class LookbackDataSource
  extends DataSourceApi<LookbackQuery, LookbackOptions>
  implements
    DataSourceWithSupplementaryQueriesSupport<LookbackQuery>,
    DataSourceWithLogsContextSupport<LookbackQuery>,
    DataSourceWithQueryModificationSupport<LookbackQuery>,
    DataSourceWithToggleableQueryFiltersSupport<LookbackQuery>
{
  readonly client: SidecarClient;
  readonly sidecarUrl?: string;
  readonly maxLines?: number;
  readonly volumeBy: VolumeGrouping;

  annotations: AnnotationSupport<LookbackQuery> = annotationSupport;

  constructor(settings: DataSourceInstanceSettings<LookbackOptions>) {
    super(settings);
    this.client = new SidecarClient(`${settings.url ?? `/api/datasources/proxy/uid/${settings.uid}`}/sidecar`);
    this.sidecarUrl = settings.jsonData.sidecarUrl;
    this.maxLines = settings.jsonData.maxLines;
    this.volumeBy = settings.jsonData.volumeBy ?? 'severity';
  }

  private get searchContext(): SearchContext {
    return { client: this.client, variables: getTemplateSrv(), maxLines: this.maxLines };
  }

  getDefaultQuery(): Partial<LookbackQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: LookbackQuery): boolean {
    return !query.hide && (Boolean(query.query?.trim()) || Boolean(query.status));
  }

  /** The answer at once; refreshed when hours a running backfill loads first for it have landed. */
  query(request: DataQueryRequest<LookbackQuery>): Observable<DataQueryResponse> {
    return answerAndRefresh(() => this.runQueries(request));
  }

  private runTarget(target: LookbackQuery, request: DataQueryRequest<LookbackQuery>, filters: AdHocVariableFilter[]): Promise<TargetResult> {
    if (target.status) {
      return runStatus(this.client, target);
    }
    if (target.supplementary === 'logsVolume') {
      return runVolume(this.searchContext, target, request, filters, this.volumeBy);
    }
    return runSearch(this.searchContext, target, request, filters);
  }

  private async runQueries(request: DataQueryRequest<LookbackQuery>): Promise<Answer> {
    const filters = request.filters ?? [];
    const targets = request.targets.filter((t) => this.filterQuery(t));
    const results = await Promise.all(targets.map((t) => this.runTarget(t, request, filters)));
    const errors = results.map((r) => r.error).filter((e): e is DataQueryError => e !== undefined && !/cancelled by a newer request/.test(e.message ?? ''));
    return {
      response: {
        data: results.flatMap((r) => r.frames),
        ...(errors.length > 0 ? { errors, state: LoadingState.Error } : { state: LoadingState.Done }),
      },
      loadingFirst: latestLoadingFirst(results.map((r) => r.loadingFirst)),
      missingHours: results.some((r) => r.missingHours === true),
    };
  }

  testDatasource(): Promise<TestDataSourceResponse> {
    return testConnection(this.client, this.sidecarUrl ?? '').then((report) => ({
      status: report.status,
      message: report.message,
      details: report.details.length > 0 ? { message: 'Checks', verboseMessage: report.details.join('\n') } : undefined,
    }));
  }

  getQueryDisplayText(query: LookbackQuery): string {
    if (query.status) {
      return `sidecar ${query.status}`;
    }
    const text = (query.query ?? '').trim();
    return query.format && query.format !== 'logs' ? `${text}  [${query.format}]` : text;
  }

  metricFindQuery(query: unknown, options?: LegacyMetricFindQueryOptions): Promise<MetricFindValue[]> {
    return metricFind(this.client, getTemplateSrv(), query, options);
  }

  /** Ad hoc filter keys: the columns and the fields ingested so far. */
  async getTagKeys(): Promise<MetricFindValue[]> {
    const { tables } = await this.client.fields();
    const events = tables.find((t) => t.name === 'events') ?? tables[0];
    return (events?.fields ?? []).filter((f) => f.type === 'string' || f.type === 'number').map((f) => ({ text: f.name, value: f.name }));
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<LookbackQuery>): Promise<MetricFindValue[]> {
    const range = options.timeRange ?? getDefaultTimeRange();
    const { values } = await this.client.fieldValues(options.key, { from: range.from.toISOString(), to: range.to.toISOString(), limit: 100 });
    return values.map((v) => ({ text: v.value, value: v.value }));
  }

  targetContainsTemplate(query: LookbackQuery): boolean {
    return referencedVariables(scanQuery(query.query ?? '')).length > 0;
  }

  /** For Explore, which has no dashboard variables: their current values written in as literals. */
  interpolateVariablesInQueries(queries: LookbackQuery[], scopedVars: ScopedVars, filters?: AdHocVariableFilter[]): LookbackQuery[] {
    return queries.map((q) => {
      const names = referencedVariables(scanQuery(q.query ?? ''));
      const values = resolveVariables(names, scopedVars, getTemplateSrv());
      const inlined = inlineVariables(q.query ?? '', values);
      const filtered = (filters ?? []).length > 0 ? addFilterStage(inlined, (filters ?? []).map(adHocCondition).join(' and ')) : inlined;
      return { ...q, query: filtered, datasource: this.getRef() };
    });
  }

  // Log volume (Explore's histogram above the log lines).

  getSupportedSupplementaryQueryTypes(): SupplementaryQueryType[] {
    return [SupplementaryQueryType.LogsVolume];
  }

  getSupplementaryQuery(options: SupplementaryQueryOptions, query: LookbackQuery): LookbackQuery | undefined {
    if (options.type !== SupplementaryQueryType.LogsVolume || (query.format ?? 'logs') !== 'logs' || query.status || !query.query?.trim()) {
      return undefined;
    }
    return { ...query, refId: `${VOLUME_REF_PREFIX}${query.refId}`, supplementary: 'logsVolume' };
  }

  getSupplementaryRequest(
    type: SupplementaryQueryType,
    request: DataQueryRequest<LookbackQuery>,
    options?: SupplementaryQueryOptions
  ): DataQueryRequest<LookbackQuery> | undefined {
    const targets = request.targets
      .filter((t) => !t.hide)
      .map((t) => this.getSupplementaryQuery(options ?? { type }, t))
      .filter((t): t is LookbackQuery => t !== undefined);
    return targets.length > 0 ? { ...request, targets, hideFromInspector: true } : undefined;
  }

  // Log context, filters from log details.

  getLogRowContext(row: LogRowModel, options?: LogRowContextOptions): Promise<DataQueryResponse> {
    return logRowContext(this.client, row, options);
  }

  async getLogRowContextQuery(row: LogRowModel, options?: LogRowContextOptions, query?: LookbackQuery): Promise<LookbackQuery> {
    return contextQuery(row, options, query);
  }

  modifyQuery(query: LookbackQuery, action: QueryFixAction): LookbackQuery {
    return modifyQuery(query, action);
  }

  getSupportedQueryModifications(): string[] {
    return SUPPORTED_MODIFICATIONS;
  }

  toggleQueryFilter(query: LookbackQuery, filter: ToggleFilterAction): LookbackQuery {
    return toggleQueryFilter(query, filter);
  }

  queryHasFilter(query: LookbackQuery, filter: QueryFilterOptions): boolean {
    return queryHasFilter(query, filter);
  }
}
