import { lastValueFrom } from 'rxjs';
import { dateTime, LoadingState, SupplementaryQueryType, type DataQueryRequest, type DataSourceInstanceSettings, type DataFrame } from '@grafana/data';
import { FakeBackend } from '../__fixtures__/fakeBackend';
import { fields, fieldValues, finishedBackfills, health, queryError, runningBackfills, sources } from '../__fixtures__/sidecar';
import type { QueryResponse } from '../shared/query';
import { DETECTIONS_ANNOTATION_QUERY } from '../shared/detections';
import { LookbackDataSource } from './datasource';
import type { LookbackOptions, LookbackQuery } from './types';

const mockBackend = new FakeBackend();
const mockVariables: Record<string, string | string[]> = {};
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend,
  getTemplateSrv: () => ({
    getVariables: () => Object.keys(mockVariables).map((name) => ({ name })),
    replace: (target: string, _scoped: unknown, format?: unknown) =>
      target.replace(/\$\{(\w+)\}/g, (whole, name: string) =>
        mockVariables[name] === undefined ? whole : typeof format === 'function' ? format(mockVariables[name]) : String(mockVariables[name])
      ),
  }),
}));

const PROXY = '/api/datasources/proxy/uid/ds1/sidecar';
const FROM = Date.parse('2026-11-27T00:00:00Z');
const TO = Date.parse('2026-11-27T06:00:00Z');

function dataSource(jsonData: LookbackOptions = { sidecarUrl: 'http://lookback:8089' }) {
  return new LookbackDataSource({
    id: 1,
    uid: 'ds1',
    type: 'lookback-logs-datasource',
    name: 'Lookback',
    url: '/api/datasources/proxy/uid/ds1',
    access: 'proxy',
    jsonData,
    meta: {},
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<LookbackOptions>);
}

function request(targets: Array<Partial<LookbackQuery>>, extra: Partial<DataQueryRequest<LookbackQuery>> = {}): DataQueryRequest<LookbackQuery> {
  const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-6h', to: 'now' } };
  return {
    requestId: 'Q100',
    interval: '5m',
    intervalMs: 300_000,
    range,
    scopedVars: {},
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    targets: targets.map((t, i) => ({ refId: 'ABC'[i], format: 'logs', query: '', ...t })),
    ...extra,
  } as DataQueryRequest<LookbackQuery>;
}

const rows: QueryResponse = {
  columns: [
    { name: 'time', type: 'time', clickhouseType: "DateTime64(3, 'UTC')" },
    { name: 'actor', type: 'string', clickhouseType: 'String' },
    { name: 'n', type: 'number', clickhouseType: 'UInt64' },
  ],
  rows: [['2026-11-27T01:00:00.000Z', 'bob', 3]],
  stats: { rowsRead: 100, bytesRead: 1000, elapsedMs: 3, rowsReturned: 1, truncated: false },
};

describe('LookbackDataSource', () => {
  beforeEach(() => {
    mockBackend.reset();
    for (const key of Object.keys(mockVariables)) {
      delete mockVariables[key];
    }
  });

  it('sends each query with its range, interval, line limit and bound variables', async () => {
    mockBackend.on('POST', `${PROXY}/api/query`, { status: 200, body: rows });
    mockVariables.user = 'bob';
    mockVariables.accounts = ['111111111111', '222222222222'];
    const ds = dataSource({ sidecarUrl: 'http://lookback:8089', maxLines: 250 });
    const response = await lastValueFrom(
      ds.query(
        request([
          { query: 'CloudTrail | where actor == ${user:raw} and account in ($accounts)', format: 'table' },
          { query: 'CloudTrail | summarize n = count() by bin(time, $__interval)', format: 'timeseries' },
          { query: 'CloudTrail', format: 'logs', maxLines: 20 },
          { query: '   ', format: 'logs' },
          { query: 'hidden', hide: true },
        ])
      )
    );
    expect(response.errors).toBeUndefined();
    expect(mockBackend.requests.map((r) => r.data)).toEqual([
      {
        query: 'CloudTrail | where actor == $user and account in ($accounts)',
        from: '2026-11-27T00:00:00.000Z',
        to: '2026-11-27T06:00:00.000Z',
        maxRows: 250,
        interval: '5m',
        variables: { user: 'bob', accounts: ['111111111111', '222222222222'] },
      },
      {
        query: 'CloudTrail | summarize n = count() by bin(time, $__interval)',
        from: '2026-11-27T00:00:00.000Z',
        to: '2026-11-27T06:00:00.000Z',
        maxRows: 50000,
        interval: '5m',
      },
      { query: 'CloudTrail', from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T06:00:00.000Z', maxRows: 20, interval: '5m' },
    ]);
    const frames = response.data as DataFrame[];
    expect(frames.map((f) => [f.refId, f.meta?.preferredVisualisationType ?? f.meta?.type])).toEqual([
      ['A', 'table'],
      ['B', 'timeseries-multi'],
      ['C', 'logs'],
    ]);
  });

  it("shows a query's render as the chart it asks for, whatever the editor's format", async () => {
    mockBackend.on('POST', `${PROXY}/api/query`, (req) => {
      const sent = (req.data as { query: string }).query;
      const render = /render (\w+)/.exec(sent)?.[1];
      return { status: 200, body: { ...rows, render } };
    });
    const response = await lastValueFrom(
      dataSource().query(
        request([
          { query: 'AWSCloudTrail | summarize n = count() by bin(TimeGenerated, 1h), actor | render timechart', format: 'logs' },
          { query: 'AWSCloudTrail | summarize n = count() by actor | render piechart', format: 'logs' },
          { query: 'AWSCloudTrail | summarize n = count() by actor', format: 'table' },
        ])
      )
    );
    const frames = response.data as DataFrame[];
    expect(frames.map((f) => [f.refId, f.meta?.preferredVisualisationType])).toEqual([
      ['A', 'graph'],
      ['B', 'table'],
      ['C', 'table'],
    ]);
  });

  it("reports the compiler's error at the line and column the user wrote, and keeps other queries' results", async () => {
    // The sidecar reports the position in the text it got, which has the ad hoc filter in it.
    mockBackend.on('POST', `${PROXY}/api/query`, (req) => {
      const sent = (req.data as { query: string }).query;
      const offset = sent.indexOf('whre');
      return offset < 0
        ? { status: 200, body: rows }
        : {
            status: 400,
            body: {
              ...queryError,
              message: 'line 3, column 3: unknown operator "whre" (did you mean "where"?)',
              position: { line: 3, column: 3, offset, length: 4 },
            },
          };
    });
    const response = await lastValueFrom(
      dataSource().query(
        request([{ query: 'CloudTrail\n| whre eventName == "x"' }, { query: 'CloudTrail', format: 'table' }], {
          filters: [{ key: 'actor', operator: '=', value: 'bob' }],
        })
      )
    );
    expect((mockBackend.requests[0].data as { query: string }).query).toBe('CloudTrail\n| where actor == "bob"\n| whre eventName == "x"');
    expect(response.state).toBe('Error');
    expect(response.errors).toEqual([{ refId: 'A', status: 400, message: 'line 2, column 3: unknown operator "whre" (did you mean "where"?)' }]);
    expect((response.data as DataFrame[]).map((f) => f.refId)).toEqual(['B']);
  });

  it('says when Grafana cannot reach the sidecar', async () => {
    mockBackend.on('POST', `${PROXY}/api/query`, { status: 502, body: { message: 'Bad Gateway' } });
    const response = await lastValueFrom(dataSource().query(request([{ query: 'CloudTrail' }])));
    expect(response.errors?.[0].message).toBe(
      'query: Grafana could not reach the sidecar (HTTP 502: Bad Gateway); check the sidecar URL and that the sidecar is running'
    );
  });

  it("says the sidecar refused the data source's token, which Grafana's proxy reports as a 400", async () => {
    // Grafana's data source proxy answers the sidecar's 401 with this plain-text 400.
    mockBackend.on('POST', `${PROXY}/api/query`, {
      status: 400,
      body: { error: 'Bad Request', response: 'Authentication to data source failed', message: 'Authentication to data source failed' },
    });
    const response = await lastValueFrom(dataSource().query(request([{ query: 'CloudTrail' }])));
    expect(response.errors?.[0].message).toMatch(
      /^query: the sidecar rejected the API token \(Grafana says "Authentication to data source failed"\); set the token .* in the data source's settings$/
    );
  });

  it("says a search outlasted Grafana's data proxy timeout, and which setting to raise", async () => {
    mockBackend.on('POST', `${PROXY}/api/query`, { status: 504, body: '' });
    const response = await lastValueFrom(dataSource().query(request([{ query: 'CloudTrail' }])));
    const message = response.errors?.[0].message ?? '';
    expect(message).toMatch(/^query: the sidecar did not answer within Grafana's data proxy timeout \(HTTP 504\)/);
    expect(message).toContain('raise [dataproxy] timeout');
    expect(message).not.toContain('could not reach');
  });

  it('asks for the log volume of logs queries only, counting everything they match', async () => {
    mockBackend.on('POST', `${PROXY}/api/histogram`, {
      status: 200,
      body: { interval: '5m', buckets: [{ time: '2026-11-27T01:00:00.000Z', group: 'error', count: 2 }] },
    });
    const ds = dataSource({ sidecarUrl: 'http://x', volumeBy: 'outcome' });
    const req = request([{ query: 'CloudTrail | where a == 1 | take 10' }, { query: 'CloudTrail', format: 'table' }]);
    expect(ds.getSupportedSupplementaryQueryTypes()).toEqual([SupplementaryQueryType.LogsVolume]);
    const volume = ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, req)!;
    expect(volume.targets).toEqual([{ refId: 'log-volume-A', format: 'logs', query: 'CloudTrail | where a == 1 | take 10', supplementary: 'logsVolume' }]);
    expect(volume.hideFromInspector).toBe(true);
    const response = await lastValueFrom(ds.query(volume));
    expect(mockBackend.requests[0]).toMatchObject({
      url: `${PROXY}/api/histogram`,
      data: { query: 'CloudTrail | where a == 1', by: 'outcome', interval: '5m' },
    });
    expect((response.data as DataFrame[])[0].fields[1].labels).toEqual({ outcome: 'error' });
    expect(ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, request([{ query: 'x', format: 'table' }]))).toBeUndefined();
  });

  it('filters for and out from log details, and toggles', () => {
    const ds = dataSource();
    const q: LookbackQuery = { refId: 'A', format: 'logs', query: 'CloudTrail | take 100' };
    const forBob = ds.modifyQuery(q, { type: 'ADD_FILTER', options: { key: 'userIdentity.userName', value: 'bob' } });
    expect(forBob.query).toBe('CloudTrail | where userIdentity.userName == "bob" | take 100');
    expect(ds.queryHasFilter(forBob, { key: 'userIdentity.userName', value: 'bob' })).toBe(true);
    const outBob = ds.modifyQuery(forBob, { type: 'ADD_FILTER_OUT', options: { key: 'userIdentity.userName', value: 'bob' } });
    expect(outBob.query).toBe('CloudTrail | where userIdentity.userName != "bob" | take 100');
    expect(ds.toggleQueryFilter(outBob, { type: 'FILTER_OUT', options: { key: 'userIdentity.userName', value: 'bob' } }).query).toBe('CloudTrail | take 100');
    expect(ds.modifyQuery(q, { type: 'ADD_STRING_FILTER', options: { value: '169.254.169.254' } }).query).toBe(
      'CloudTrail | where raw contains "169.254.169.254" | take 100'
    );
    expect(ds.getSupportedQueryModifications()).toEqual(['ADD_FILTER', 'ADD_FILTER_OUT', 'ADD_STRING_FILTER', 'ADD_STRING_FILTER_OUT']);
  });

  it('writes variables and ad hoc filters into queries opened in Explore', () => {
    mockVariables.user = 'bob';
    const [q] = dataSource().interpolateVariablesInQueries([{ refId: 'A', format: 'logs', query: 'CloudTrail | where actor == $user | take 5' }], {}, [
      { key: 'srcIp', operator: '=', value: '1.2.3.4' },
    ]);
    expect(q.query).toBe('CloudTrail | where actor == "bob" | where srcIp == "1.2.3.4" | take 5');
    expect(q.datasource).toEqual({ type: 'lookback-logs-datasource', uid: 'ds1' });
  });

  it('answers variable queries: values of a field, or the first column of a query', async () => {
    mockBackend.on('GET', `${PROXY}/api/fields/values`, (req) => ({
      status: 200,
      body: req.params?.field === 'eventName' ? fieldValues : { field: req.params?.field, values: [] },
    }));
    mockBackend.on('POST', `${PROXY}/api/query`, {
      status: 200,
      body: {
        ...rows,
        columns: rows.columns.slice(1),
        rows: [
          ['bob', 1],
          ['alice', 2],
          ['bob', 3],
        ],
      },
    });
    const ds = dataSource();
    const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-6h', to: 'now' } };
    expect((await ds.metricFindQuery('values(eventName, CloudTrail)', { range })).map((v) => v.text)).toEqual(fieldValues.values.map((v) => v.value));
    expect(mockBackend.requests[0].params).toEqual({
      field: 'eventName',
      from: '2026-11-27T00:00:00.000Z',
      to: '2026-11-27T06:00:00.000Z',
      table: 'CloudTrail',
      limit: 1000,
    });
    expect((await ds.metricFindQuery('CloudTrail | distinct actor', { range })).map((v) => v.text)).toEqual(['bob', 'alice']);
  });

  it('offers ad hoc keys from the field catalog and values from the range', async () => {
    mockBackend.on('GET', `${PROXY}/api/fields`, { status: 200, body: fields }).on('GET', `${PROXY}/api/fields/values`, (req) => ({
      status: 200,
      body: { field: req.params?.field, values: req.params?.field === 'srcIp' ? [{ value: '1.2.3.4', count: 3 }] : [] },
    }));
    const ds = dataSource();
    const keys = (await ds.getTagKeys()).map((k) => k.text);
    expect(keys).toEqual(expect.arrayContaining(['eventName', 'srcIp', 'actor']));
    expect(keys).not.toContain('time');
    const values = await ds.getTagValues({ key: 'srcIp', filters: [], timeRange: { from: dateTime(FROM), to: dateTime(TO), raw: { from: '', to: '' } } });
    expect(values).toEqual([{ text: '1.2.3.4', value: '1.2.3.4' }]);
  });

  it('tests the connection through its proxy routes', async () => {
    mockBackend.on('GET', `${PROXY}/api/health`, { status: 200, body: health }).on('GET', `${PROXY}/api/sources`, { status: 200, body: sources });
    const result = await dataSource().testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/^Connected to Lookback sidecar 0\.1\.0: store \(chdb\) ok; 1,226 events from 49 objects/);
    expect(result.details?.verboseMessage).toContain('source alb: alb from s3://acme-alb/ (us-east-1)');
    expect((await dataSource({}).testDatasource()).message).toMatch(/^Set the sidecar URL/);
  });

  it("charts the sidecar's sources and backfills for the health dashboard", async () => {
    mockBackend
      .on('GET', `${PROXY}/api/sources`, { status: 200, body: sources })
      .on('GET', `${PROXY}/api/backfills`, { status: 200, body: { backfills: [...runningBackfills.backfills, finishedBackfills.backfills[1]] } });
    const response = await lastValueFrom(
      dataSource().query(
        request([
          { status: 'sources', format: 'table' },
          { status: 'backfills', format: 'table' },
        ])
      )
    );
    const [queues, backfills] = response.data as DataFrame[];
    const column = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name)?.values;
    expect(column(queues, 'source')).toEqual(['alb', 'cloudtrail']);
    expect(column(queues, 'backfillQueued')).toEqual([1126, 0]);
    expect(column(queues, 'failedObjects')).toEqual([0, 1]);
    expect(column(queues, 'lastEvent')).toEqual([Date.parse('2026-11-25T09:59:55.659Z'), Date.parse('2026-11-27T08:59:53.000Z')]);
    expect(column(backfills, 'state')).toEqual(['running', 'done']);
    expect(column(backfills, 'progress')).toEqual([22 / 1152, 1]);
    expect(backfills.fields.find((f) => f.name === 'progress')?.config.unit).toBe('percentunit');
    expect(column(backfills, 'eta')).toEqual([48, 0]);
  });

  it('shows queries in history, and runs annotations as tables', () => {
    const ds = dataSource();
    expect(ds.getQueryDisplayText({ refId: 'A', format: 'logs', query: 'CloudTrail | take 5' })).toBe('CloudTrail | take 5');
    expect(ds.getQueryDisplayText({ refId: 'A', format: 'table', query: 'CloudTrail | count' })).toBe('CloudTrail | count  [table]');
    expect(ds.annotations.prepareQuery!({ target: { refId: 'A', format: 'logs', query: 'CloudTrail' } } as never)).toEqual({
      refId: 'A',
      format: 'table',
      query: 'CloudTrail',
    });
    expect(ds.annotations.prepareQuery!({ target: { refId: 'A', format: 'logs', query: '' } } as never)).toBeUndefined();
  });

  it('annotates dashboards with detections: the default annotation query runs as a table whose fields Grafana maps to annotations', async () => {
    const annotationRows: QueryResponse = {
      columns: [
        { name: 'time', type: 'time', clickhouseType: "DateTime64(3, 'UTC')" },
        { name: 'timeEnd', type: 'time', clickhouseType: "DateTime64(3, 'UTC')" },
        { name: 'title', type: 'string', clickhouseType: 'String' },
        { name: 'text', type: 'string', clickhouseType: 'String' },
        { name: 'tags', type: 'other', clickhouseType: 'Array(String)' },
      ],
      rows: [
        [
          '2026-11-27T01:00:00.000Z',
          '2026-11-27T01:20:00.000Z',
          '[high] Root user console sign-in',
          'lookback.aws.cloudtrail.root-console-login: sourceIPAddress=203.0.113.9 (2 events, open)',
          ['attack.t1078.004'],
        ],
      ],
      stats: { rowsRead: 1, bytesRead: 100, elapsedMs: 1, rowsReturned: 1, truncated: false },
    };
    mockBackend.on('POST', `${PROXY}/api/query`, { status: 200, body: annotationRows });
    const ds = dataSource();
    const target = ds.annotations.prepareQuery!({ name: 'Detections', enable: true, iconColor: 'red', target: ds.annotations.getDefaultQuery!() } as never);
    expect(target).toMatchObject({ refId: 'Anno', format: 'table', query: DETECTIONS_ANNOTATION_QUERY });

    const response = await lastValueFrom(ds.query(request([target!])));
    expect(mockBackend.sent('POST', `${PROXY}/api/query`)[0].data).toMatchObject({ query: DETECTIONS_ANNOTATION_QUERY });
    const [frame] = response.data as DataFrame[];
    const field = (name: string) => frame.fields.find((f) => f.name === name);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', 'time'],
      ['timeEnd', 'time'],
      ['title', 'string'],
      ['text', 'string'],
      ['tags', 'other'],
    ]);
    expect(field('time')?.values).toEqual([Date.parse('2026-11-27T01:00:00.000Z')]);
    expect(field('timeEnd')?.values).toEqual([Date.parse('2026-11-27T01:20:00.000Z')]);
    expect(field('title')?.values).toEqual(['[high] Root user console sign-in']);
    expect(field('tags')?.values).toEqual([['attack.t1078.004']]);
  });

  it('shows the answer at once while a running backfill loads the missing hours first, and the refreshed answer once they land', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-27T10:00:00Z') });
    try {
      const coverage = { state: 'partial' as const, message: '1 of 6 hours ... (yet)', missingHours: ['2026-11-27T05:00:00.000Z'] };
      const replies: QueryResponse[] = [
        { ...rows, coverage: { ...coverage, loadingFirst: { hours: 1, expectedAt: '2026-11-27T10:00:05Z' } } },
        { ...rows, coverage: { ...coverage, loadingFirst: { hours: 1, expectedAt: '2026-11-27T10:00:05Z' } } },
        { ...rows, rows: [...rows.rows, ['2026-11-27T05:30:00.000Z', 'carol', 1]] },
      ];
      mockBackend.on('POST', `${PROXY}/api/query`, () => ({ status: 200, body: replies.shift() }));
      const seen: Array<{ state?: LoadingState; lines: number; notices: string[] }> = [];
      let completed = false;
      dataSource()
        .query(request([{ query: 'CloudTrail', format: 'table' }]))
        .subscribe({
          next: (r) => {
            const [frame] = r.data as DataFrame[];
            seen.push({ state: r.state, lines: frame.length, notices: (frame.meta?.notices ?? []).map((n) => n.text) });
          },
          complete: () => (completed = true),
        });
      await jest.advanceTimersByTimeAsync(0);
      expect(seen).toEqual([
        {
          state: LoadingState.Streaming,
          lines: 1,
          notices: [
            'The missing hour of this time range is being loaded first by a running backfill, expected in about 5 s: the results refresh when they land',
          ],
        },
      ]);
      await jest.advanceTimersByTimeAsync(6000);
      expect(mockBackend.sent('POST', `${PROXY}/api/query`)).toHaveLength(3);
      expect(seen.slice(1)).toEqual([{ state: LoadingState.Done, lines: 2, notices: [] }]);
      expect(completed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
