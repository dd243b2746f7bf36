import type { FastifyInstance } from 'fastify';
import type { LedgerEntry } from '../../../shared/api';
import { createAwsClients } from '../../aws/clients';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../log';
import { ledgerEntry, openTestStore, type TestStore } from '../../query/testing';
import { buildServices } from '../../sidecar';
import { buildApi } from '../server';

const TOKEN = 'objects-api-test-token-0123456789';

function entry(key: string, sourceId: string, backfillId: string, status: LedgerEntry['status'], malformed: number): LedgerEntry & { queue: string } {
  return ledgerEntry(key, {
    sourceId,
    backfillId,
    status,
    malformed,
    malformedSamples: malformed ? [{ record: 2, reason: 'not a JSON record', sample: 'oops' }] : [],
    error: status === 'failed' ? 'no record could be parsed as cloudtrail: not a JSON record' : '',
  });
}

describe('GET /api/objects', () => {
  let db: TestStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestStore(false);
    await db.store.recordObjects([
      entry('a-failed', 'trail', 'bf-1', 'failed', 1),
      entry('b-malformed', 'trail', 'bf-1', 'ok', 1),
      entry('c-clean', 'trail', 'bf-1', 'ok', 0),
      entry('d-failed-other-backfill', 'trail', 'bf-2', 'failed', 0),
      entry('e-live-malformed', 'trail', '', 'ok', 3),
      entry('f-other-source-failed', 'flows', '', 'failed', 0),
    ]);
    const config = loadConfig(undefined, {});
    const log = createLogger('silent');
    app = buildApi(buildServices(config, db.store, createAwsClients(config.aws), log).api, TOKEN);
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const keys = async (query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/objects?${query}`, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(200);
    return (response.json() as { objects: LedgerEntry[] }).objects.map((o) => o.key).sort();
  };

  it("lists one backfill's failed objects and those with malformed records", async () => {
    expect(await keys('source=trail&backfill=bf-1&problems=true')).toEqual(['a-failed', 'b-malformed']);
    expect(await keys('backfill=bf-1')).toEqual(['a-failed', 'b-malformed', 'c-clean']);
  });

  it("lists a source's problems, live and from every backfill", async () => {
    expect(await keys('source=trail&problems=true')).toEqual(['a-failed', 'b-malformed', 'd-failed-other-backfill', 'e-live-malformed']);
    expect(await keys('problems=true&status=failed')).toEqual(['a-failed', 'd-failed-other-backfill', 'f-other-source-failed']);
  });

  it('rejects a filter it does not know', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/objects?problems=maybe', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/problems/);
  });
});
