import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETECTIONS_ANNOTATION_QUERY } from '../../shared/detections';
import { DetectionRepository, type DetectionRecord } from '../detect/repository';
import { QueryService } from './service';
import { FIXTURE_RANGE, openTestStore, type TestStore } from './testing';

// The bundled Detections dashboard and the data source's default annotation query, run through the
// real compiler and store over recorded detections and the golden fixture events.

interface Target {
  refId: string;
  query: string;
  format: string;
}
interface Dashboard {
  uid: string;
  schemaVersion: number;
  panels: Array<{ id: number; title: string; type: string; targets: Target[] }>;
  annotations: { list: Array<{ name: string; target?: Target; filter?: { exclude: boolean; ids: number[] } }> };
}

const SRC = join(__dirname, '..', '..');
const dashboard = JSON.parse(readFileSync(join(SRC, 'dashboards', 'detections.json'), 'utf8')) as Dashboard;
const appPlugin = JSON.parse(readFileSync(join(SRC, 'plugin.json'), 'utf8')) as { includes: Array<{ type: string; path?: string; uid?: string }> };
/** The schema version of a new dashboard in @grafana/schema (Grafana 13's defaultDashboard). */
const grafanaSchemaVersion = (() => {
  const types = readFileSync(join(SRC, '..', 'node_modules', '@grafana', 'schema', 'dist', 'esm', 'raw', 'dashboard', 'x', 'types.gen.mjs'), 'utf8');
  return Number(/const defaultDashboard = \{[^}]*schemaVersion: (\d+)/.exec(types)?.[1]);
})();

const HOUR = 3_600_000;
const T = Date.parse('2024-03-02T10:00:00Z');

function detection(fingerprint: string, fields: Partial<DetectionRecord>): DetectionRecord {
  return {
    fingerprint,
    ruleId: 'lookback.aws.cloudtrail.root-console-login',
    ruleVersion: 'v1',
    title: 'Root user signs in to the console',
    severity: 'high',
    tags: ['attack.initial-access', 'attack.t1078.004'],
    keys: { sourceIPAddress: '198.51.100.7' },
    windowStart: T,
    windowEnd: T + HOUR,
    query: 'CloudTrail | where eventName == "ConsoleLogin"',
    factsVersion: T,
    count: 2,
    events: 2,
    firstSeen: T + 60_000,
    lastSeen: T + 120_000,
    ...fields,
  };
}

describe('the bundled Detections dashboard', () => {
  let db: TestStore;
  let service: QueryService;

  beforeAll(async () => {
    db = await openTestStore();
    service = new QueryService(db.store);
    const repository = new DetectionRepository(db.store);
    await repository.record(
      [
        detection('fp-root', {}),
        detection('fp-brute', {
          ruleId: 'lookback.aws.cloudtrail.console-brute-force',
          title: 'Console password guessing from one address',
          severity: 'medium',
          tags: ['attack.credential-access'],
          keys: { sourceIPAddress: '203.0.113.9' },
          count: 7,
          events: 7,
          firstSeen: T + 3 * HOUR,
          lastSeen: T + 3 * HOUR + 300_000,
        }),
        detection('fp-closed', {
          ruleId: 'lookback.aws.cloudtrail.trail-stopped',
          title: 'CloudTrail logging stopped',
          firstSeen: T + 5 * HOUR,
          lastSeen: T + 5 * HOUR,
        }),
      ],
      T + 6 * HOUR
    );
    await repository.setStatus('fp-closed', { status: 'closed', by: 'alice', note: 'our change' }, T + 7 * HOUR);
  });
  afterAll(() => db.close());

  const run = (query: string) => service.query({ query, ...FIXTURE_RANGE, interval: '1h', maxRows: 1000 });
  const records = (response: Awaited<ReturnType<typeof run>>) =>
    response.rows.map((row) => Object.fromEntries(response.columns.map((c, i) => [c.name, row[i]])));

  it('is installed with the app, in the dashboard schema of Grafana 13', () => {
    expect(appPlugin.includes).toContainEqual(expect.objectContaining({ type: 'dashboard', path: 'dashboards/detections.json', uid: dashboard.uid }));
    expect(grafanaSchemaVersion).toBeGreaterThan(0);
    expect(dashboard.schemaVersion).toBe(grafanaSchemaVersion);
    expect(dashboard.panels.map((p) => p.type)).toEqual(expect.arrayContaining(['timeseries', 'table']));
  });

  it.each(dashboard.panels.flatMap((p) => p.targets.map((t) => [p.title, t.query] as const)))('panel %s compiles and runs', async (_title, query) => {
    const response = await run(query);
    expect(response.columns.length).toBeGreaterThan(0);
    expect(response.rows.length).toBeGreaterThan(0);
  });

  it('marks the open detections on the event-rate panel with the default annotation query', async () => {
    const annotation = dashboard.annotations.list.find((a) => a.name === 'Detections');
    expect(annotation?.target).toMatchObject({ query: DETECTIONS_ANNOTATION_QUERY, format: 'table' });
    const rate = dashboard.panels.find((p) => p.title === 'Event rate with detections');
    expect(annotation?.filter).toEqual({ exclude: false, ids: [rate?.id] });

    const response = await run(DETECTIONS_ANNOTATION_QUERY);
    expect(response.columns.map((c) => c.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
    expect(response.columns.map((c) => c.type)).toEqual(['time', 'time', 'string', 'string', 'other']);
    expect(records(response)).toEqual([
      {
        time: '2024-03-02T13:00:00.000Z',
        timeEnd: '2024-03-02T13:05:00.000Z',
        title: '[medium] Console password guessing from one address',
        text: 'lookback.aws.cloudtrail.console-brute-force: sourceIPAddress=203.0.113.9 (7 events, open)',
        tags: ['attack.credential-access'],
      },
      {
        time: '2024-03-02T10:01:00.000Z',
        timeEnd: '2024-03-02T10:02:00.000Z',
        title: '[high] Root user signs in to the console',
        text: 'lookback.aws.cloudtrail.root-console-login: sourceIPAddress=198.51.100.7 (2 events, open)',
        tags: ['attack.initial-access', 'attack.t1078.004'],
      },
    ]);
  });
});
