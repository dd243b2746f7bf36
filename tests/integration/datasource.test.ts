// The data source class against a real sidecar over HTTP, with events ingested from the
// emulator. Grafana itself cannot run here, so its two services the class calls are stood in
// for: `getBackendSrv().fetch` is the data source proxy, applying the routes of the data
// source's plugin.json (token header included) and doing real HTTP; `getTemplateSrv()` resolves
// dashboard variables.
import {
  dateTime,
  LogRowContextQueryDirection,
  SupplementaryQueryType,
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type LogRowModel,
  type ScopedVars,
} from '@grafana/data';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { LookbackDataSource } from '../../src/datasource/datasource';
import pluginJson from '../../src/datasource/plugin.json';
import type { LookbackOptions, LookbackQuery } from '../../src/datasource/types';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { putAndNotify } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

interface ProxyRequest {
  url: string;
  method?: string;
  params?: Record<string, string | number>;
  data?: unknown;
}

interface Instance {
  uid: string;
  jsonData: LookbackOptions;
  token: string;
}

const mockInstances = new Map<string, Instance>();
const mockVariables = new Map<string, string | string[]>();
const mockRequests: Array<{ method: string; path: string; body?: unknown }> = [];

/** Grafana's data source proxy: `/api/datasources/proxy/uid/<uid>/<route path>...` per plugin.json routes. */
async function mockProxyFetch(req: ProxyRequest) {
  const match = /^\/api\/datasources\/proxy\/uid\/([^/]+)\/(.*)$/.exec(req.url);
  const instance = match && mockInstances.get(match[1]);
  if (!match || !instance) {
    throw { status: 404, data: { message: 'Data source not found' } };
  }
  const method = req.method ?? 'GET';
  const path = match[2];
  const route = pluginJson.routes.find((r) => (!r.method || r.method === method) && path.startsWith(r.path));
  if (!route) {
    throw { status: 404, data: { message: `no proxy route for ${method} ${path}` } };
  }
  const fill = (template: string) =>
    template.replace('{{ .JsonData.sidecarUrl }}', instance.jsonData.sidecarUrl ?? '').replace('{{ .SecureJsonData.apiToken }}', instance.token);
  const url = new URL(fill(route.url) + path.slice(route.path.length));
  for (const [k, v] of Object.entries(req.params ?? {})) {
    url.searchParams.set(k, String(v));
  }
  mockRequests.push({ method, path: url.pathname, body: req.data });
  const headers: Record<string, string> = Object.fromEntries(route.headers.map((h) => [h.name, fill(h.content)]));
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...headers, ...(req.data !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: req.data !== undefined ? JSON.stringify(req.data) : undefined,
    });
  } catch {
    // What Grafana's proxy answers when the target does not accept the connection.
    throw { status: 502, statusText: 'Bad Gateway', data: { message: 'Bad Gateway' } };
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw { status: response.status, statusText: response.statusText, data };
  }
  return { status: response.status, data, ok: true };
}

/** TemplateSrv.replace for `${name}`: the format function gets the variable's raw value. */
function mockReplace(target: string, scopedVars?: ScopedVars, format?: unknown): string {
  return target.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = scopedVars?.[name]?.value ?? mockVariables.get(name);
    if (value === undefined) {
      return whole;
    }
    return typeof format === 'function' ? String(format(value)) : String(value);
  });
}

jest.mock('@grafana/runtime', () => ({
  getBackendSrv: () => ({ fetch: (req: ProxyRequest): Observable<unknown> => from(mockProxyFetch(req)) }),
  getTemplateSrv: () => ({ replace: mockReplace, getVariables: () => [] }),
}));

const ACCOUNT = '123456789012';
const HOUR = 3_600_000;
/** Events sit in one whole hour two hours ago, so a query of that hour is fully covered. */
const HOUR_START = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

interface Trail {
  minute: number;
  eventName: string;
  user: string;
  ip: string;
  failed?: boolean;
  roleArn?: string;
}

const TRAIL: Trail[] = [
  { minute: 5, eventName: 'ConsoleLogin', user: 'alice', ip: '203.0.113.5', failed: true },
  { minute: 6, eventName: 'ConsoleLogin', user: 'alice', ip: '203.0.113.5', failed: true },
  { minute: 7, eventName: 'ConsoleLogin', user: 'alice', ip: '203.0.113.5' },
  { minute: 9, eventName: 'ListBuckets', user: 'alice', ip: '203.0.113.5' },
  { minute: 12, eventName: 'AssumeRole', user: 'alice', ip: '203.0.113.5', roleArn: `arn:aws:iam::${ACCOUNT}:role/admin` },
  { minute: 20, eventName: 'ConsoleLogin', user: 'bob', ip: '198.51.100.7' },
  { minute: 25, eventName: 'GetObject', user: 'bob', ip: '198.51.100.7', failed: true },
  { minute: 40, eventName: 'DescribeInstances', user: 'carol', ip: '192.0.2.44' },
];

function cloudTrailRecord(e: Trail, i: number) {
  const login = e.eventName === 'ConsoleLogin';
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: `AIDA${i}`, arn: `arn:aws:iam::${ACCOUNT}:user/${e.user}`, accountId: ACCOUNT, userName: e.user },
    eventTime: new Date(HOUR_START + e.minute * 60_000).toISOString().replace('.000Z', 'Z'),
    eventSource: login ? 'signin.amazonaws.com' : e.eventName === 'AssumeRole' ? 'sts.amazonaws.com' : 'ec2.amazonaws.com',
    eventName: e.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: e.ip,
    userAgent: 'aws-cli/2.15.0',
    requestParameters: e.roleArn ? { roleArn: e.roleArn, roleSessionName: 'session' } : null,
    responseElements: login ? { ConsoleLogin: e.failed ? 'Failure' : 'Success' } : null,
    ...(e.failed && !login ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    eventType: login ? 'AwsConsoleSignIn' : 'AwsApiCall',
    recipientAccountId: ACCOUNT,
  };
}

function makeDataSource(uid: string, jsonData: LookbackOptions, token: string): LookbackDataSource {
  mockInstances.set(uid, { uid, jsonData, token });
  const settings = {
    id: 1,
    uid,
    type: pluginJson.id,
    name: 'Lookback',
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    jsonData,
    meta: { id: pluginJson.id, name: pluginJson.name, type: 'datasource', info: {}, module: '', baseUrl: '' },
    readOnly: false,
  } as unknown as DataSourceInstanceSettings<LookbackOptions>;
  return new LookbackDataSource(settings);
}

function request(
  targets: Array<Partial<LookbackQuery>>,
  extra: Partial<DataQueryRequest<LookbackQuery>> = {},
  range = { from: HOUR_START, to: HOUR_START + HOUR }
): DataQueryRequest<LookbackQuery> {
  const from = dateTime(range.from);
  const to = dateTime(range.to);
  return {
    requestId: 'test',
    interval: '10m',
    intervalMs: 10 * 60_000,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), format: 'logs', query: '', ...t })),
    timezone: 'utc',
    app: 'explore',
    startTime: Date.now(),
    ...extra,
  } as DataQueryRequest<LookbackQuery>;
}

const run = (ds: LookbackDataSource, req: DataQueryRequest<LookbackQuery>): Promise<DataQueryResponse> => lastValueFrom(ds.query(req));
const field = (frame: DataFrame, name: string) => frame.fields.find((f) => f.name === name);

describe('the data source against a real sidecar', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let ds: LookbackDataSource;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'trail', bucket: 'datasource-test-logs', logType: 'cloudtrail' });
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
    const key = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${new Date(HOUR_START).toISOString().slice(0, 10).replace(/-/g, '/')}/${ACCOUNT}_CloudTrail_us-east-1_test.json.gz`;
    await putAndNotify(emulator.endpoint, dev.topicArn, dev.source.bucket, key, JSON.stringify({ Records: TRAIL.map(cloudTrailRecord) }));
    await eventually(async () => {
      const { body } = await sidecar.api<{ count: number }>('/api/events/count');
      // The ledger row is written just after the events: health counts objects from it.
      const health = await sidecar.api<{ ingest?: { objectsOk: number } }>('/api/health');
      return body.count === TRAIL.length && health.body.ingest?.objectsOk === 1 ? true : undefined;
    }, 'the trail ingested');
    ds = makeDataSource('lookback-it', { sidecarUrl: sidecar.url }, sidecar.token);
  }, 60_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    if (sidecar) {
      removeDir(sidecar.dataDir);
    }
  });

  beforeEach(() => {
    mockVariables.clear();
    mockRequests.length = 0;
  });

  it('tests the connection: health, store, event counts and sources', async () => {
    const result = await ds.testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/^Connected to Lookback sidecar \S+: store \(chdb\) ok; 8 events from 1 objects/);
    expect(result.message).toContain('1 source (trail)');
    expect(result.details?.verboseMessage).toMatch(/source trail: cloudtrail from s3:\/\/datasource-test-logs\//);
  });

  it('reports a wrong token and an unreachable sidecar with the reason', async () => {
    const wrongToken = makeDataSource('wrong-token', { sidecarUrl: sidecar.url }, 'not-the-token-at-all');
    const denied = await wrongToken.testDatasource();
    expect(denied.status).toBe('error');
    expect(denied.message).toMatch(/the sidecar rejected the API token/);

    const closed = makeDataSource('closed', { sidecarUrl: 'http://127.0.0.1:9' }, sidecar.token);
    const down = await closed.testDatasource();
    expect(down.status).toBe('error');
    expect(down.message).toMatch(/Grafana could not reach the sidecar \(HTTP 502/);

    const unset = makeDataSource('unset', {}, sidecar.token);
    expect((await unset.testDatasource()).message).toMatch(/^Set the sidecar URL/);
  });

  it('returns log lines in the logs data-plane shape', async () => {
    const response = await run(ds, request([{ query: 'CloudTrail | where eventName == "ConsoleLogin"', format: 'logs' }]));
    expect(response.errors).toBeUndefined();
    expect(mockRequests[0]).toEqual({
      method: 'POST',
      path: '/api/query',
      body: expect.objectContaining({ query: 'CloudTrail | where eventName == "ConsoleLogin"', maxRows: 1000, interval: '10m' }),
    });
    const [frame] = response.data as DataFrame[];
    expect(frame.meta).toMatchObject({ type: 'log-lines', preferredVisualisationType: 'logs' });
    expect(frame.meta?.notices ?? []).toEqual([]);
    expect(frame.fields.map((f) => f.name)).toEqual(['timestamp', 'body', 'severity', 'id', 'labels']);
    expect(frame.length).toBe(4);
    expect(field(frame, 'severity')?.values).toEqual(['info', 'info', 'error', 'error']);
    expect(new Set(field(frame, 'id')?.values).size).toBe(4);
    const body = JSON.parse(field(frame, 'body')?.values[3]);
    expect(body).toMatchObject({ eventName: 'ConsoleLogin', responseElements: { ConsoleLogin: 'Failure' } });
    const labels = field(frame, 'labels')?.values[3];
    expect(labels).toMatchObject({ actor: `arn:aws:iam::${ACCOUNT}:user/alice`, srcIp: '203.0.113.5', outcome: 'failure', 'userIdentity.userName': 'alice' });
    expect(labels['fields.eventName']).toBe('ConsoleLogin');
  });

  it('binds dashboard variables as parameters, single and multi-value', async () => {
    mockVariables.set('user', `arn:aws:iam::${ACCOUNT}:user/bob`);
    mockVariables.set('ips', ['203.0.113.5', '192.0.2.44']);
    const response = await run(
      ds,
      request([
        { query: 'CloudTrail | where actor == $user', format: 'table' },
        { query: 'CloudTrail | where srcIp in (${ips}) | summarize n = count() by srcIp | sort by srcIp asc', format: 'table' },
      ])
    );
    expect(response.errors).toBeUndefined();
    expect(mockRequests.map((r) => (r.body as { variables?: unknown }).variables)).toEqual([
      { user: `arn:aws:iam::${ACCOUNT}:user/bob` },
      { ips: ['203.0.113.5', '192.0.2.44'] },
    ]);
    const [bob, byIp] = response.data as DataFrame[];
    expect(field(bob, 'eventName')?.values.sort()).toEqual(['ConsoleLogin', 'GetObject']);
    expect(field(byIp, 'srcIp')?.values).toEqual(['192.0.2.44', '203.0.113.5']);
    expect(field(byIp, 'n')?.values).toEqual([1, 5]);
  });

  it('applies ad hoc filters as a where stage after the source', async () => {
    const filters = [
      { key: 'srcIp', operator: '=', value: '203.0.113.5' },
      { key: 'eventName', operator: '!=', value: 'ConsoleLogin' },
    ];
    const response = await run(
      ds,
      request([{ query: 'CloudTrail | summarize n = count() by eventName | sort by eventName asc', format: 'table' }], { filters })
    );
    expect((mockRequests[0].body as { query: string }).query).toBe(
      'CloudTrail | where srcIp == "203.0.113.5" and eventName != "ConsoleLogin" | summarize n = count() by eventName | sort by eventName asc'
    );
    const [frame] = response.data as DataFrame[];
    expect(field(frame, 'eventName')?.values).toEqual(['AssumeRole', 'ListBuckets']);
  });

  it('builds time series, one per group, and typed tables', async () => {
    const response = await run(
      ds,
      request([
        { query: 'CloudTrail | summarize events = count() by bin(time, $__interval), outcome', format: 'timeseries' },
        { query: 'CloudTrail | summarize failures = countif(outcome == "failure"), last = max(time) by actor | sort by failures desc', format: 'table' },
      ])
    );
    expect(response.errors).toBeUndefined();
    const series = (response.data as DataFrame[]).filter((f) => f.refId === 'A');
    expect(series.map((s) => s.name).sort()).toEqual(['failure', 'success']);
    const failure = series.find((s) => s.name === 'failure')!;
    expect(failure.meta?.type).toBe('timeseries-multi');
    expect(field(failure, 'time')?.values).toEqual([HOUR_START, HOUR_START + 20 * 60_000]);
    expect(field(failure, 'events')?.values).toEqual([2, 1]);
    expect(field(failure, 'events')?.labels).toEqual({ outcome: 'failure' });

    const table = (response.data as DataFrame[]).find((f) => f.refId === 'B')!;
    expect(table.fields.map((f) => [f.name, f.type])).toEqual([
      ['actor', 'string'],
      ['failures', 'number'],
      ['last', 'time'],
    ]);
    expect(field(table, 'failures')?.values).toEqual([2, 1, 0]);
    expect(field(table, 'last')?.values[0]).toBe(HOUR_START + 12 * 60_000);
  });

  it("shows the compiler's error at the user's line and column, also when filters were added", async () => {
    const filters = [{ key: 'srcIp', operator: '=', value: '203.0.113.5' }];
    const response = await run(ds, request([{ query: 'CloudTrail\n| whre x', format: 'logs' }], { filters }));
    expect(response.state).toBe('Error');
    expect(response.errors?.[0]).toMatchObject({ refId: 'A', status: 400, message: 'line 2, column 3: unknown operator "whre" (did you mean "where"?)' });

    const badFilter = await run(ds, request([{ query: 'CloudTrail', format: 'logs' }], { filters: [{ key: 'nosuchfield', operator: '=', value: 'x' }] }));
    expect(badFilter.errors?.[0].message).toMatch(/^in the ad hoc filters \(\| where nosuchfield == "x"\): unknown field "nosuchfield"/);
  });

  it('counts log volume by severity for Explore', async () => {
    const req = request([{ query: 'CloudTrail | take 2', format: 'logs' }]);
    const volumeRequest = ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, req)!;
    expect(volumeRequest.targets[0].refId).toBe('log-volume-A');
    const response = await run(ds, volumeRequest);
    expect(mockRequests[0]).toMatchObject({ path: '/api/histogram', body: { query: 'CloudTrail', by: 'severity', interval: '10m' } });
    const frames = response.data as DataFrame[];
    const total = (name: string) =>
      (
        field(
          frames.find((f) => f.name === name)!,
          'Value'
        )?.values as number[]
      ).reduce((a, b) => a + b, 0);
    expect(frames.map((f) => field(f, 'Value')?.labels)).toEqual(expect.arrayContaining([{ level: 'info' }, { level: 'error' }]));
    expect(total('info') + total('error')).toBe(TRAIL.length);
    expect(total('error')).toBe(3);
  });

  it('finds the context of a line: the same source and actor, before and after', async () => {
    const response = await run(ds, request([{ query: 'CloudTrail | where eventName == "ListBuckets"', format: 'logs' }]));
    const [frame] = response.data as DataFrame[];
    const row = {
      rowId: field(frame, 'id')?.values[0],
      uid: 'A_0',
      timeEpochMs: field(frame, 'timestamp')?.values[0],
      labels: field(frame, 'labels')?.values[0],
    } as unknown as LogRowModel;
    const before = await ds.getLogRowContext(row, { direction: LogRowContextQueryDirection.Backward, limit: 10 });
    const after = await ds.getLogRowContext(row, { direction: LogRowContextQueryDirection.Forward, limit: 10 });
    const names = (r: DataQueryResponse) => field(r.data[0], 'labels')?.values.map((l: Record<string, string>) => l.eventName);
    expect(names(before)).toEqual(['ConsoleLogin', 'ConsoleLogin', 'ConsoleLogin']);
    expect(names(after)).toEqual(['AssumeRole']);
  });

  it('answers variable queries and ad hoc keys and values', async () => {
    const range = { from: dateTime(HOUR_START), to: dateTime(HOUR_START + HOUR), raw: { from: '', to: '' } };
    const names = await ds.metricFindQuery('values(eventName, CloudTrail)', { range });
    // Most frequent first; the four single events tie.
    expect(names[0].text).toBe('ConsoleLogin');
    expect(names.map((v) => v.text).sort()).toEqual(['AssumeRole', 'ConsoleLogin', 'DescribeInstances', 'GetObject', 'ListBuckets']);
    const actors = await ds.metricFindQuery('CloudTrail | extend user = userIdentity.userName | distinct user | sort by user asc', { range });
    expect(actors.map((v) => v.text)).toEqual(['alice', 'bob', 'carol']);

    const keys = (await ds.getTagKeys()).map((k) => k.text);
    expect(keys).toEqual(expect.arrayContaining(['eventName', 'srcIp', 'userIdentity.userName', 'requestParameters.roleArn']));
    const values = await ds.getTagValues({ key: 'srcIp', filters: [], timeRange: range });
    expect(values.map((v) => v.text)).toEqual(['203.0.113.5', '198.51.100.7', '192.0.2.44']); // 5, 2 and 1 events
  });

  it('says when the time range is not loaded yet, with a link to backfill it', async () => {
    const response = await run(ds, request([{ query: 'CloudTrail', format: 'logs' }], {}, { from: HOUR_START - 3 * HOUR, to: HOUR_START + HOUR }));
    const [frame] = response.data as DataFrame[];
    expect(frame.meta?.notices?.[0]).toMatchObject({
      severity: 'info',
      text: expect.stringMatching(/^3 of 4 hours in this time range have no ingested logs of cloudtrail/),
      link: expect.stringMatching(/^\/a\/lookback-siem-app\/backfills\?from=/),
    });
  });
});
