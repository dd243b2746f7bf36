import type { FastifyInstance } from 'fastify';
import { createAwsClients } from '../../aws/clients';
import type { BackfillRecord } from '../../backfill/repository';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../log';
import { openTestStore, type TestStore } from '../../query/testing';
import { buildServices } from '../../sidecar';
import { BackfillTables } from '../../store/backfills';
import { buildApi } from '../server';

const TOKEN = 'metrics-api-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const DAY = Date.UTC(2024, 4, 1);

function record(id: string, state: BackfillRecord['state'], createdAt: number): BackfillRecord {
  return {
    id,
    sourceId: 'trail',
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: [],
    from: DAY,
    to: DAY + 86_400_000,
    marginMinutes: 0,
    order: 'newest',
    roleArn: null,
    externalId: null,
    state,
    error: '',
    createdAt,
    updatedAt: createdAt,
    finishedAt: null,
  };
}

const handled = (backfillId: string, key: string) => ({
  backfillId,
  bucket: 'logs',
  key,
  etag: `etag-${key}`,
  size: 10,
  status: 'ok' as const,
  events: 5,
  malformed: 0,
  minTime: null,
  maxTime: null,
  duplicate: false,
});

/** The value of one sample of the exposition text, found by metric name and a label it has. */
function sample(text: string, name: string, label: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let db: TestStore;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    db = await openTestStore(false);
    const tables = new BackfillTables(db.store);
    const unit = (prefix: string) => ({ prefix, time: DAY, filter: { from: DAY, to: null, logType: 'cloudtrail' as const } });
    // Listing: 2 of 3 prefixes listed (4 objects), 1 object handled.
    await tables.savePlan('bf-busy', [unit('a/'), unit('b/'), unit('c/')]);
    await tables.saveBackfill(record('bf-busy', 'listing', Date.now() - 60_000));
    for (const prefix of ['a/', 'b/']) {
      await tables.recordPage('bf-busy', { prefix, page: 0, token: '', nextToken: '', seen: 2, enqueued: 2, ignored: 0 });
    }
    await tables.recordListed(
      'bf-busy',
      ['a/1', 'a/2', 'b/1', 'b/2'].map((key) => ({ key, etag: `etag-${key}`, size: 10, keyTime: DAY }))
    );
    await tables.recordHandled([handled('bf-busy', 'a/1')]);
    // Done: not a backfill in progress.
    await tables.savePlan('bf-old', [unit('a/')]);
    await tables.saveBackfill(record('bf-old', 'done', DAY));
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await db.close();
  });

  function api(env: Record<string, string>): FastifyInstance {
    const config = loadConfig(undefined, env);
    const services = buildServices(config, db.store, createAwsClients(config.aws), createLogger('silent'));
    const app = buildApi(services.api, TOKEN, { routes: config.roles.includes('api') ? 'all' : 'operations' });
    apps.push(app);
    return app;
  }

  async function metrics(roles: string): Promise<{ status: number; text: string; app: FastifyInstance }> {
    const app = api({ LOOKBACK_ROLES: roles });
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: auth });
    return { status: response.statusCode, text: response.body, app };
  }

  it('says what is left of each backfill in progress: objects listed and not handled, prefixes not listed, and its ETA', async () => {
    const { status, text } = await metrics('api,ingest');
    expect(status).toBe(200);
    const busy = 'backfill="bf-busy",source="trail",state="listing"';
    expect(sample(text, 'lookback_backfill_objects_listed', busy)).toBe(4);
    expect(sample(text, 'lookback_backfill_objects_remaining', busy)).toBe(3);
    expect(sample(text, 'lookback_backfill_prefixes_remaining', busy)).toBe(1);
    expect(sample(text, 'lookback_backfill_eta_seconds', busy)).toBeGreaterThanOrEqual(0);
    expect(text).not.toContain('bf-old');
    expect(text).toMatch(/^lookback_sidecar_info\{version="[^"]+",roles="api,ingest",store="chdb"\} 1$/m);
    expect(text).toMatch(/^lookback_sidecar_messages_in_flight\{queue="live"\} 0$/m);
    expect(text).toMatch(/^lookback_sidecar_messages_in_flight\{queue="backfill"\} 0$/m);
    for (const queue of ['live', 'backfill']) {
      expect(sample(text, 'lookback_event_inserts_total', `queue="${queue}"`)).toBe(0);
      expect(sample(text, 'lookback_event_insert_rows_total', `queue="${queue}"`)).toBe(0);
    }
  });

  it('is all a sidecar without the api role answers, besides health', async () => {
    const { status, text, app } = await metrics('ingest');
    expect(status).toBe(200);
    expect(text).toMatch(/^lookback_sidecar_info\{version="[^"]+",roles="ingest",store="chdb"\} 1$/m);
    expect((await app.inject({ method: 'GET', url: '/api/health', headers: auth })).statusCode).toBe(200);
    for (const url of ['/api/backfills', '/api/sources', '/api/events/count']) {
      expect([url, (await app.inject({ method: 'GET', url, headers: auth })).statusCode]).toEqual([url, 404]);
    }
  });

  it('needs the API token unless configured public, which opens /metrics and nothing else', async () => {
    const closed = api({});
    expect((await closed.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await closed.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode).toBe(401);
    const open = api({ LOOKBACK_METRICS_PUBLIC: 'true' });
    const response = await open.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(/^lookback_sidecar_info\{/m);
    expect((await open.inject({ method: 'GET', url: '/api/backfills' })).statusCode).toBe(401);
  });
});
