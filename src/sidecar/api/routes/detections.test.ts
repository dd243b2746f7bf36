import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FieldErrorsBody } from '../../../shared/backfill';
import type { DeliveryList, Detection, DetectionList, Hunt, RuleRun, RulesResponse, RuleSummary } from '../../../shared/detections';
import { createAwsClients } from '../../aws/clients';
import { loadConfig } from '../../config/load';
import { cloudTrailRecord as record, DetectionStore, landAt as land } from '../../detect/testing';
import { createLogger } from '../../log';
import { buildServices, type Services } from '../../sidecar';
import { buildApi } from '../server';

// The detection routes on the services sidecar.ts builds, over a real chDB store: rules with
// enable/disable, detections with their status, retro-hunts, deliveries; all behind the token.

jest.setTimeout(60_000);

const TOKEN = 'detections-api-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const MIN = 60_000;

const ROOT = `title: Root signs in
id: test.root-login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, userIdentity.type: Root}
  condition: sel
level: high
group-by: [sourceIPAddress]
schedule: 1m
`;

describe('detections API', () => {
  let db: DetectionStore;
  let dir: string;
  let services: Services;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await DetectionStore.open();
    dir = mkdtempSync(join(tmpdir(), 'lookback-rules-'));
    writeFileSync(join(dir, 'root.yml'), ROOT);
    writeFileSync(
      join(dir, 'broken.yml'),
      'title: Broken\nid: test.broken\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel: {eventName|nosuch: x}\n  condition: sel\n'
    );
    const config = loadConfig(undefined, { LOOKBACK_DETECT_PACK: 'false', LOOKBACK_RULE_PATHS: JSON.stringify([dir]) });
    services = buildServices(config, db.store, createAwsClients(config.aws), createLogger('silent'));
    services.detections.rules.load();
    app = buildApi(services.api, TOKEN);
  });
  afterAll(async () => {
    await app.close();
    await services.detections.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });
  const send = (method: 'POST' | 'PUT', url: string, payload: object, headers: Record<string, string> = auth) => app.inject({ method, url, payload, headers });

  /** A root sign-in received two minutes ago, checked by one scheduled cycle: one detection. */
  async function detect(ip: string): Promise<Detection> {
    const now = Date.now();
    await land(db, now - 2 * MIN, [record(now - 10 * MIN, 'root', ip)]);
    await services.detections.scheduler.cycle({ now, force: true });
    const list = (await get('/api/detections?rule=test.root-login')).json<DetectionList>();
    const found = list.detections.find((d) => d.keys.sourceIPAddress === ip);
    expect(found).toBeDefined();
    return found!;
  }

  it('needs the token on every route', async () => {
    for (const url of ['/api/rules', '/api/rules/test.root-login', '/api/detections', '/api/hunts', '/api/deliveries']) {
      expect((await get(url, {})).statusCode).toBe(401);
    }
    expect((await send('POST', '/api/hunts', { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, {})).statusCode).toBe(401);
    expect((await send('PUT', '/api/rules/test.root-login/settings', { enabled: false }, {})).statusCode).toBe(401);
  });

  it('lists the rules, and the rules that did not load with their file and reason', async () => {
    const res = await get('/api/rules');
    expect(res.statusCode).toBe(200);
    const body = res.json<RulesResponse>();
    expect(body.rules.map((r) => [r.id, r.kind, r.severity, r.table, r.enabled])).toEqual([['test.root-login', 'sigma', 'high', 'CloudTrail', true]]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ file: join(dir, 'broken.yml'), construct: expect.stringContaining('nosuch') });
    expect((await get('/api/rules/test.nothing')).statusCode).toBe(404);
  });

  it('disables and enables a rule, saying who did', async () => {
    const off = await send('PUT', '/api/rules/test.root-login/settings', { enabled: false, by: 'bob' }, { ...auth, 'x-grafana-user': 'alice' });
    expect(off.statusCode).toBe(200);
    expect(off.json<RuleSummary>()).toMatchObject({ id: 'test.root-login', enabled: false, enabledBy: 'alice' });
    expect((await get('/api/rules')).json<RulesResponse>().rules[0].enabled).toBe(false);
    const on = await send('PUT', '/api/rules/test.root-login/settings', { enabled: true, by: 'bob' });
    expect(on.json<RuleSummary>()).toMatchObject({ enabled: true, enabledBy: 'bob' });

    expect((await send('PUT', '/api/rules/test.nothing/settings', { enabled: false })).statusCode).toBe(404);
    const bad = await send('PUT', '/api/rules/test.root-login/settings', { enabled: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/enabled/);
  });

  it('lists the detections of scheduled runs, with their link to the events, and changes their status', async () => {
    const detection = await detect('203.0.113.44');
    expect(detection).toMatchObject({ ruleId: 'test.root-login', severity: 'high', status: 'open', count: 1 });
    expect(detection.explore.query).toContain('CloudTrail');
    expect((await get(`/api/detections/${detection.fingerprint}`)).json<Detection>().fingerprint).toBe(detection.fingerprint);
    const runs = (await get('/api/rules/test.root-login/runs')).json<{ runs: RuleRun[] }>().runs;
    expect(runs[0]).toMatchObject({ kind: 'scheduled', state: 'done', hits: 1 });

    const ack = await send(
      'POST',
      `/api/detections/${detection.fingerprint}/status`,
      { status: 'acknowledged', note: 'looking' },
      { ...auth, 'x-grafana-user': 'carol' }
    );
    expect(ack.statusCode).toBe(200);
    expect(ack.json<Detection>()).toMatchObject({ status: 'acknowledged', statusBy: 'carol', note: 'looking' });
    expect((await get('/api/detections?status=open&rule=test.root-login')).json<DetectionList>().detections.map((d) => d.fingerprint)).not.toContain(
      detection.fingerprint
    );
    expect((await get('/api/detections?status=acknowledged&status=closed')).json<DetectionList>().detections.map((d) => d.fingerprint)).toContain(
      detection.fingerprint
    );

    expect((await send('POST', `/api/detections/${detection.fingerprint}/status`, { status: 'solved' })).statusCode).toBe(400);
    expect((await send('POST', '/api/detections/0123456789abcdef/status', { status: 'closed' })).statusCode).toBe(404);
    expect((await get('/api/detections/not-a-fingerprint')).statusCode).toBe(400);
    const badTime = await get('/api/detections?from=yesterday');
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json<FieldErrorsBody>().fields).toEqual([{ field: 'from', message: expect.stringContaining('"yesterday"') }]);
  });

  it('filters the detections by severity, rule and event time, and names the filter it refuses', async () => {
    const detection = await detect('203.0.113.46');
    const fingerprints = async (query: string) => (await get(`/api/detections?${query}`)).json<DetectionList>().detections.map((d) => d.fingerprint);
    expect(await fingerprints('severity=high&rule=test.root-login')).toContain(detection.fingerprint);
    expect(await fingerprints('severity=low&severity=medium')).not.toContain(detection.fingerprint);
    expect(await fingerprints('rule=test.other')).not.toContain(detection.fingerprint);
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect(await fingerprints(`from=${hourAgo}`)).toContain(detection.fingerprint);
    expect(await fingerprints(`to=${hourAgo}`)).not.toContain(detection.fingerprint);

    for (const [query, field] of [
      ['severity=urgent', 'severity'],
      ['rule=', 'rule'],
      ['limit=0', 'limit'],
      [`from=${new Date().toISOString()}&to=${hourAgo}`, 'to'],
    ]) {
      const refused = await get(`/api/detections?${query}`);
      expect({ query, status: refused.statusCode }).toEqual({ query, status: 400 });
      expect(refused.json<{ message: string }>().message).toContain(field);
    }
  });

  it('starts a retro-hunt, reports its progress, and refuses one it cannot run', async () => {
    await detect('203.0.113.45');
    const now = Date.now();
    const started = await send('POST', '/api/hunts', { from: new Date(now - 86_400_000).toISOString(), to: new Date(now).toISOString(), by: 'dave' });
    expect(started.statusCode).toBe(201);
    const hunt = started.json<Hunt>();
    expect(hunt).toMatchObject({ state: 'running', rules: ['test.root-login'], requestedBy: 'dave' });
    await services.detections.hunts.idle();
    expect((await get(`/api/hunts/${hunt.id}`)).json<Hunt>()).toMatchObject({ state: 'done', rulesDone: 1, newDetections: 0 });
    expect((await get('/api/hunts')).json<{ hunts: Hunt[] }>().hunts.map((h) => h.id)).toContain(hunt.id);

    const backwards = await send('POST', '/api/hunts', { from: new Date(now).toISOString(), to: new Date(now - MIN).toISOString() });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<FieldErrorsBody>().fields[0]).toMatchObject({ field: 'from', message: 'must be a time before to' });
    const unknown = await send('POST', '/api/hunts', { from: new Date(now - MIN).toISOString(), to: new Date(now).toISOString(), rules: ['test.nothing'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<FieldErrorsBody>().fields[0]).toMatchObject({ field: 'rules', message: expect.stringContaining('test.nothing') });
    expect((await send('POST', '/api/hunts', { from: 'soon', to: new Date(now).toISOString() })).statusCode).toBe(400);
    expect((await get('/api/hunts/hunt-00000000-0000')).statusCode).toBe(404);
  });

  it('lists deliveries and the configured channels (none here)', async () => {
    const res = await get('/api/deliveries?state=failed');
    expect(res.statusCode).toBe(200);
    expect(res.json<DeliveryList>()).toEqual({ deliveries: [], channels: [] });
  });
});
