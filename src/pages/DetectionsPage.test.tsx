import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { APP_PROXY, FakeBackend } from '../__fixtures__/fakeBackend';
import { testIds } from '../components/testIds';
import type { Detection, Hunt, RulesResponse, RuleSummary } from '../shared/detections';
import { DetectionsPage } from './DetectionsPage';

const mockBackend = new FakeBackend();
const mockDataSources = [{ uid: 'lookback-ds', type: 'lookback-logs-datasource', name: 'Lookback logs' }];
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend,
  getDataSourceSrv: () => ({ getList: ({ pluginId }: { pluginId: string }) => mockDataSources.filter((d) => d.type === pluginId) }),
}));

const detection: Detection = {
  fingerprint: '0f3c2a9d1b7e4c5a8d6f0e1a2b3c4d5e',
  ruleId: 'lookback.aws.cloudtrail.root-console-login',
  ruleVersion: 'v1',
  title: 'Root user console sign-in',
  severity: 'high',
  tags: ['attack.t1078.004'],
  keys: { sourceIPAddress: '203.0.113.9' },
  window: { from: '2026-11-28T09:00:00.000Z', to: '2026-11-28T10:00:00.000Z' },
  count: 2,
  events: 2,
  firstSeen: '2026-11-28T09:12:00.000Z',
  lastSeen: '2026-11-28T09:40:00.000Z',
  detectedAt: '2026-11-28T09:41:00.000Z',
  status: 'open',
  statusBy: '',
  statusAt: null,
  note: '',
  explore: {
    query: 'CloudTrail\n| where userIdentity.type =~ "Root"\n| where sourceIPAddress == "203.0.113.9"',
    from: '2026-11-28T09:00:00.000Z',
    to: '2026-11-28T10:00:00.000Z',
  },
};

const rule: RuleSummary = {
  id: 'lookback.aws.cloudtrail.root-console-login',
  title: 'Root user console sign-in',
  description: '',
  kind: 'sigma',
  file: 'rules/aws/cloudtrail/root-console-login.yml',
  severity: 'high',
  tags: [],
  table: 'CloudTrail',
  scheduleMs: 300_000,
  lookbackMs: 900_000,
  suppressMs: 3_600_000,
  standalone: true,
  enabled: true,
  enabledBy: '',
  warnings: [],
  lastRun: {
    runId: 'scheduled:1',
    kind: 'scheduled',
    state: 'done',
    owner: 'a',
    from: '2026-11-28T09:35:00.000Z',
    to: '2026-11-28T09:45:00.000Z',
    startedAt: '2026-11-28T09:45:30.000Z',
    finishedAt: '2026-11-28T09:45:31.000Z',
    durationMs: 120,
    hits: 1,
    newDetections: 1,
    error: '',
  },
  lastError: null,
  detections: { open: 1, total: 3 },
};
const failing: RuleSummary = {
  ...rule,
  id: 'lookback.aws.alb.ssrf',
  title: 'SSRF',
  enabled: false,
  lastError: { ...rule.lastRun!, state: 'failed', error: 'the query ran out of time' },
};
const rules: RulesResponse = {
  rules: [rule, failing],
  errors: [
    { file: 'mine/bad.yml', rule: 'Bad', construct: 'detection.sel.x|nosuch', reason: 'unknown modifier', message: 'mine/bad.yml: rule Bad: unknown modifier' },
  ],
};
const hunt: Hunt = {
  id: 'hunt-1234abcd-5678',
  from: '2026-10-29T00:00:00.000Z',
  to: '2026-11-28T00:00:00.000Z',
  rules: [rule.id],
  notify: false,
  requestedBy: 'alice',
  state: 'running',
  rulesDone: 0,
  hits: 0,
  newDetections: 0,
  errors: [],
  createdAt: '2026-11-28T10:00:00.000Z',
  finishedAt: null,
};

/** What the sidecar's filters do, for the detection above. */
function matches(d: Detection, params: Record<string, unknown>): boolean {
  return (
    (params.status === undefined || params.status === d.status) &&
    (params.severity === undefined || params.severity === d.severity) &&
    (params.rule === undefined || params.rule === d.ruleId) &&
    (params.from === undefined || Date.parse(String(params.from)) <= Date.parse(d.lastSeen))
  );
}

function serve() {
  mockBackend
    .on('GET', `${APP_PROXY}/api/detections`, (req) => ({
      status: 200,
      body: { detections: matches(detection, req.params ?? {}) ? [detection] : [], truncated: false },
    }))
    .on('GET', `${APP_PROXY}/api/rules`, { status: 200, body: rules })
    .on('GET', `${APP_PROXY}/api/hunts`, { status: 200, body: { hunts: [] } });
}

async function renderPage() {
  render(
    <MemoryRouter initialEntries={['/a/lookback-siem-app/detections']} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <DetectionsPage />
    </MemoryRouter>
  );
  return screen.findByTestId(testIds.detections.table);
}

describe('DetectionsPage', () => {
  beforeAll(() => {
    // Combobox virtualises its options by the menu's client size: give elements one in jsdom.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    mockBackend.reset();
    serve();
  });

  it('lists open detections with rule, severity, group keys and time, and links each to its events in Explore', async () => {
    const table = await renderPage();
    expect(mockBackend.sent('GET', `${APP_PROXY}/api/detections`)[0].params).toMatchObject({ status: 'open' });
    expect(table).toHaveTextContent('Root user console sign-in');
    expect(table).toHaveTextContent('lookback.aws.cloudtrail.root-console-login');
    expect(table).toHaveTextContent('high');
    expect(table).toHaveTextContent('sourceIPAddress=203.0.113.9');
    expect(table).toHaveTextContent('2026-11-28 09:40:00');
    const link = within(table).getByTestId(testIds.detections.explore(detection.fingerprint));
    const url = new URL(link.getAttribute('href')!, 'http://grafana.local');
    expect(url.pathname).toBe('/explore');
    const panes = JSON.parse(url.searchParams.get('panes')!);
    // On one line: Grafana's link sanitiser would drop the line breaks' escapes (and the query's words would run together).
    expect(panes.lookback.queries[0]).toMatchObject({
      datasource: { uid: 'lookback-ds' },
      query: 'CloudTrail | where userIdentity.type =~ "Root" | where sourceIPAddress == "203.0.113.9"',
    });
    expect(panes.lookback.range).toEqual({ from: String(Date.parse(detection.explore.from)), to: String(Date.parse(detection.explore.to)) });
  });

  it('filters by status, and acknowledges a detection', async () => {
    const table = await renderPage();
    mockBackend.on('POST', `${APP_PROXY}/api/detections/${detection.fingerprint}/status`, { status: 200, body: { ...detection, status: 'acknowledged' } });
    fireEvent.click(within(table).getByTestId(testIds.detections.acknowledge(detection.fingerprint)));
    await waitFor(() => expect(mockBackend.sent('POST', `${APP_PROXY}/api/detections/${detection.fingerprint}/status`)).toHaveLength(1));
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/detections/${detection.fingerprint}/status`)[0].data).toMatchObject({ status: 'acknowledged' });

    fireEvent.click(within(screen.getByTestId(testIds.detections.status)).getByText('Closed'));
    expect(await screen.findByText('No closed detections')).toBeInTheDocument();
    expect(mockBackend.sent('GET', `${APP_PROXY}/api/detections`).slice(-1)[0].params).toMatchObject({ status: 'closed' });
  });

  it('filters by severity, rule and how far back the events reach', async () => {
    await renderPage();
    const lastParams = () => mockBackend.sent('GET', `${APP_PROXY}/api/detections`).slice(-1)[0].params;

    fireEvent.click(within(screen.getByTestId(testIds.detections.severity)).getByText('low'));
    expect(await screen.findByText('No detections match the filters')).toBeInTheDocument();
    expect(lastParams()).toMatchObject({ status: 'open', severity: 'low' });
    fireEvent.click(within(screen.getByTestId(testIds.detections.severity)).getByText('high'));
    await screen.findByTestId(testIds.detections.table);
    expect(lastParams()).toMatchObject({ status: 'open', severity: 'high' });

    const chooseRule = async (label: string) => {
      const input = screen.getByTestId(testIds.detections.rule).querySelector<HTMLInputElement>('input[role="combobox"]')!;
      fireEvent.click(input);
      fireEvent.change(input, { target: { value: label } });
      fireEvent.click((await screen.findAllByText(label)).map((e) => e.closest('[role="option"]')).find(Boolean)!);
    };
    await chooseRule('SSRF');
    expect(await screen.findByText('No detections match the filters')).toBeInTheDocument();
    expect(lastParams()).toMatchObject({ status: 'open', severity: 'high', rule: failing.id });
    await chooseRule('Any rule');
    await screen.findByTestId(testIds.detections.table);
    expect(lastParams()).not.toHaveProperty('rule');

    const before = Date.now();
    fireEvent.click(within(screen.getByTestId(testIds.detections.since)).getByText('7 days'));
    await waitFor(() => expect(lastParams()).toHaveProperty('from'));
    const from = Date.parse(String(lastParams()!.from));
    expect(from).toBeGreaterThanOrEqual(before - 7 * 86_400_000);
    expect(from).toBeLessThanOrEqual(Date.now() - 7 * 86_400_000);
    fireEvent.click(within(screen.getByTestId(testIds.detections.since)).getByText('Any time'));
    await screen.findByTestId(testIds.detections.table);
    expect(lastParams()).not.toHaveProperty('from');
  });

  it('lists the rules with their last run and errors, and disables one', async () => {
    await renderPage();
    const table = await screen.findByTestId(testIds.rules.table);
    expect(table).toHaveTextContent('1 hits');
    expect(table).toHaveTextContent('1 open / 3');
    expect(within(table).getByTestId(testIds.rules.error(failing.id))).toHaveTextContent('the query ran out of time');
    expect(screen.getByTestId(testIds.rules.loadErrors)).toHaveTextContent('mine/bad.yml: rule Bad: unknown modifier');

    mockBackend.on('PUT', `${APP_PROXY}/api/rules/${encodeURIComponent(rule.id)}/settings`, { status: 200, body: { ...rule, enabled: false } });
    fireEvent.click(within(table).getByLabelText(`Disable ${rule.id}`));
    await waitFor(() => expect(mockBackend.sent('PUT', `${APP_PROXY}/api/rules/${encodeURIComponent(rule.id)}/settings`)).toHaveLength(1));
    expect(mockBackend.sent('PUT', `${APP_PROXY}/api/rules/${encodeURIComponent(rule.id)}/settings`)[0].data).toMatchObject({ enabled: false });
  });

  it('starts a hunt and shows its progress; shows the field the sidecar refused', async () => {
    await renderPage();
    mockBackend.on('POST', `${APP_PROXY}/api/hunts`, (req) =>
      (req.data as { from: string }).from === 'soon'
        ? {
            status: 400,
            body: {
              statusCode: 400,
              error: 'Bad Request',
              message: 'from: must be…',
              fields: [{ field: 'from', message: 'must be an ISO 8601 time, got "soon"' }],
            },
          }
        : { status: 201, body: hunt }
    );
    fireEvent.change(screen.getByTestId(testIds.hunts.from), { target: { value: 'soon' } });
    fireEvent.click(screen.getByTestId(testIds.hunts.start));
    expect(await screen.findByText('must be an ISO 8601 time, got "soon"')).toBeInTheDocument();

    mockBackend.on('GET', `${APP_PROXY}/api/hunts`, { status: 200, body: { hunts: [hunt] } });
    fireEvent.change(screen.getByTestId(testIds.hunts.from), { target: { value: hunt.from } });
    fireEvent.change(screen.getByTestId(testIds.hunts.rules), { target: { value: rule.id } });
    fireEvent.click(screen.getByTestId(testIds.hunts.start));
    const item = await screen.findByTestId(testIds.hunts.item(hunt.id));
    expect(item).toHaveTextContent('running');
    expect(item).toHaveTextContent('0 of 1 rules');
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/hunts`).slice(-1)[0].data).toMatchObject({ from: hunt.from, rules: [rule.id] });
  });
});
