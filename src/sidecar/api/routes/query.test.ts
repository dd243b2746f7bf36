import type { FastifyInstance } from 'fastify';
import type { LedgerEntry } from '../../../shared/api';
import type { FieldsResponse, FieldValuesResponse, HistogramResponse, QueryErrorBody, QueryResponse } from '../../../shared/query';
import { createAwsClients } from '../../aws/clients';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../log';
import { FIXTURE_RANGE, ledgerEntry, openTestStore, type TestStore } from '../../query/testing';
import { buildServices } from '../../sidecar';
import { buildApi } from '../server';

const TOKEN = 'query-api-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

function ledger(logType: string, key: string, minTime: string, maxTime: string): LedgerEntry & { queue: string } {
  return ledgerEntry(key, { sourceId: 'test', bucket: 'lookback-fixtures', logType, events: 1, minTime, maxTime, processedAt: '2024-03-08T00:00:00.000Z' });
}

describe('query API', () => {
  let db: TestStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    db = await openTestStore();
    // CloudTrail objects cover 2024-03-01 08:00 to 2024-03-06 18:05; nothing was ingested for VPC flow logs.
    await db.store.recordObjects([ledger('cloudtrail', 'ct/1.json.gz', '2024-03-01T08:15:00Z', '2024-03-03T14:12:09Z')]);
    await db.store.recordObjects([ledger('cloudtrail', 'ct/2.json.gz', '2024-03-03T14:00:00Z', '2024-03-06T18:05:00Z')]);
    const config = loadConfig(undefined, {});
    const log = createLogger('silent');
    app = buildApi(buildServices(config, db.store, createAwsClients(config.aws), log).api, TOKEN);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const post = (url: string, payload: object, headers: Record<string, string> = auth) => app.inject({ method: 'POST', url, payload, headers });

  describe('POST /api/query', () => {
    it('returns typed columns, rows and stats', async () => {
      const res = await post('/api/query', {
        query: 'CloudTrail | where outcome == "failure" | project time, eventName, srcPort, failed = true',
        ...FIXTURE_RANGE,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json<QueryResponse>();
      expect(body.columns).toEqual([
        { name: 'time', type: 'time', clickhouseType: "DateTime64(3, 'UTC')" },
        { name: 'eventName', type: 'string', clickhouseType: 'String' },
        { name: 'srcPort', type: 'number', clickhouseType: 'Nullable(UInt16)' },
        { name: 'failed', type: 'boolean', clickhouseType: 'Bool' },
      ]);
      expect(body.rows).toEqual([
        ['2024-03-04T07:30:00.000Z', 'DescribeInstances', null, true],
        ['2024-03-01T09:40:12.000Z', 'ConsoleLogin', null, true],
      ]);
      expect(body.stats.rowsReturned).toBe(2);
      expect(body.stats.truncated).toBe(false);
      // Rows read from storage (all 12 CloudTrail events at least), not the 2 returned.
      expect(body.stats.rowsRead).toBeGreaterThanOrEqual(12);
      expect(body.stats.bytesRead).toBeGreaterThan(12 * 8);
      expect(body.stats.elapsedMs).toBeGreaterThanOrEqual(0);
    });

    it('cuts at maxRows and says so', async () => {
      const body = (await post('/api/query', { query: 'events | project time', ...FIXTURE_RANGE, maxRows: 3 })).json<QueryResponse>();
      expect(body.rows).toHaveLength(3);
      expect(body.stats.truncated).toBe(true);
    });

    it('applies interval and variables', async () => {
      const res = await post('/api/query', {
        query: 'CloudTrail | where userIdentity.userName in ($users) | summarize count() by bin(time, $__interval)',
        ...FIXTURE_RANGE,
        interval: '2d',
        variables: { users: ['alice', 'bob'] },
      });
      expect(res.json<QueryResponse>().rows).toEqual([
        ['2024-02-29T00:00:00.000Z', 2],
        ['2024-03-02T00:00:00.000Z', 1],
        ['2024-03-04T00:00:00.000Z', 2],
      ]);
    });

    it('answers a query that does not compile with 400, the position and what was expected', async () => {
      const res = await post('/api/query', { query: 'CloudTrail\n| where evntName == "ConsoleLogin"', ...FIXTURE_RANGE });
      expect(res.statusCode).toBe(400);
      expect(res.json<QueryErrorBody>()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'line 2, column 9: unknown field "evntName" (did you mean "eventName"?)',
        position: { line: 2, column: 9, offset: 19, length: 8 },
        expected: ['eventName'],
      });
    });

    it('answers a syntax error with 400 and the expected tokens', async () => {
      const body = (await post('/api/query', { query: 'events | where actor == ', ...FIXTURE_RANGE })).json<QueryErrorBody>();
      expect(body.statusCode).toBe(400);
      expect(body.position).toEqual({ line: 1, column: 25, offset: 24, length: 0 });
      expect(body.expected).toEqual(['a value, column name or function call']);
    });

    it('answers a query the engine refuses with 400 and its reason', async () => {
      const res = await post('/api/query', { query: 'events | where isnotnull(bytes) and bytes % 0 == 1 | count', ...FIXTURE_RANGE });
      expect(res.statusCode).toBe(400);
      expect(res.json<QueryErrorBody>().message).toMatch(/^the query failed on the data: Division by zero/);
    });

    it('answers a regular expression only RE2 itself refuses with 400 and its reason', async () => {
      const res = await post('/api/query', { query: 'events | where raw matches regex @"\\p{Foo}" | count', ...FIXTURE_RANGE });
      expect(res.statusCode).toBe(400);
      expect(res.json<QueryErrorBody>().message).toBe('invalid regular expression: invalid character class range: \\p{Foo} (RE2 syntax)');
    });

    it('validates the request', async () => {
      expect((await post('/api/query', { from: FIXTURE_RANGE.from, to: FIXTURE_RANGE.to })).statusCode).toBe(400);
      const badTime = await post('/api/query', { query: 'events', from: 'yesterday', to: FIXTURE_RANGE.to });
      expect(badTime.statusCode).toBe(400);
      expect(badTime.json<QueryErrorBody>().message).toMatch(/from "yesterday" is not a time/);
      const badInterval = await post('/api/query', { query: 'events', ...FIXTURE_RANGE, interval: 'often' });
      expect(badInterval.json<QueryErrorBody>().message).toMatch(/interval "often" is not a timespan/);
    });

    it('needs the API token', async () => {
      expect((await post('/api/query', { query: 'events', ...FIXTURE_RANGE }, {})).statusCode).toBe(401);
    });

    it('says which hours of the range are not loaded', async () => {
      const partial = (await post('/api/query', { query: 'CloudTrail | count', ...FIXTURE_RANGE })).json<QueryResponse>();
      expect(partial.coverage?.state).toBe('partial');
      expect(partial.coverage?.message).toBe('37 of 168 hours in this time range have no ingested logs of cloudtrail (yet): results may be incomplete');
      expect(partial.coverage?.missingHours.slice(0, 2)).toEqual(['2024-03-01T00:00:00.000Z', '2024-03-01T01:00:00.000Z']);
      expect(partial.coverage?.missingHours).toContain('2024-03-06T19:00:00.000Z');
      expect(partial.coverage?.missingHours).not.toContain('2024-03-03T14:00:00.000Z');

      const none = (await post('/api/query', { query: 'VPCFlow | count', ...FIXTURE_RANGE })).json<QueryResponse>();
      expect(none.coverage?.state).toBe('none');

      const covered = (
        await post('/api/query', { query: 'CloudTrail | count', from: '2024-03-02T00:00:00Z', to: '2024-03-05T00:00:00Z' })
      ).json<QueryResponse>();
      expect(covered.coverage).toBeUndefined();
    });
  });

  describe('GET /api/fields', () => {
    it('lists every table with the common columns and the fields ingested for it', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/fields', headers: auth });
      expect(res.statusCode).toBe(200);
      const tables = res.json<FieldsResponse>().tables;
      const cloudtrail = tables.find((t) => t.name === 'CloudTrail');
      expect(cloudtrail?.logType).toBe('cloudtrail');
      expect(cloudtrail?.fields).toEqual(
        expect.arrayContaining([
          { name: 'time', type: 'time' },
          { name: 'srcPort', type: 'number' },
          { name: 'eventName', type: 'string' },
          { name: 'fields.eventName', type: 'string' },
          { name: 'userIdentity.arn', type: 'string' },
        ])
      );
      expect(cloudtrail?.fields.map((f) => f.name)).not.toContain('elb_status_code');
      expect(tables.find((t) => t.name === 'events')?.fields.map((f) => f.name)).toEqual(
        expect.arrayContaining(['elb_status_code', 'srcaddr', 'userIdentity.arn'])
      );
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'ALB', 'VPCFlow', 'S3Access', 'GuardDuty']));
    });

    it("lists Sentinel's tables with their fixed, documented columns", async () => {
      const tables = (await app.inject({ method: 'GET', url: '/api/fields', headers: auth })).json<FieldsResponse>().tables;
      const cloudtrail = tables.find((t) => t.name === 'AWSCloudTrail');
      expect(cloudtrail?.logType).toBe('cloudtrail');
      expect(cloudtrail?.fields).toEqual(
        expect.arrayContaining([
          { name: 'TimeGenerated', type: 'time' },
          { name: 'EventName', type: 'string' },
          { name: 'SessionMfaAuthenticated', type: 'boolean' },
        ])
      );
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['AWSVPCFlow', 'AWSGuardDuty', 'AWSWAF', 'AWSALBAccessLogs']));
    });
  });

  describe('GET /api/fields/values', () => {
    it('returns the top values of a field', async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/fields/values?field=elb_status_code&table=ALB&from=${FIXTURE_RANGE.from}&to=${FIXTURE_RANGE.to}&limit=2`,
        headers: auth,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<FieldValuesResponse>()).toEqual({
        field: 'elb_status_code',
        values: [{ value: '200', count: 3 }, expect.objectContaining({ count: 1 })],
      });
    });

    it("returns the top values of a Sentinel table's column, and refuses a name that is none of its columns", async () => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/fields/values?field=EventName&table=AWSCloudTrail&from=${FIXTURE_RANGE.from}&to=${FIXTURE_RANGE.to}&limit=1`,
        headers: auth,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<FieldValuesResponse>().values).toHaveLength(1);
      const bad = await app.inject({
        method: 'GET',
        url: `/api/fields/values?field=${encodeURIComponent('x | take 1')}&table=AWSCloudTrail&from=${FIXTURE_RANGE.from}&to=${FIXTURE_RANGE.to}`,
        headers: auth,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<QueryErrorBody>().message).toContain('unknown column "x | take 1" of AWSCloudTrail');
    });

    it('reports an unknown field', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/fields/values?field=nope&from=${FIXTURE_RANGE.from}&to=${FIXTURE_RANGE.to}`, headers: auth });
      expect(res.statusCode).toBe(400);
      expect(res.json<QueryErrorBody>().message).toMatch(/^field: unknown field "nope"/);
      const unnamed = await app.inject({ method: 'GET', url: `/api/fields/values?from=${FIXTURE_RANGE.from}&to=${FIXTURE_RANGE.to}`, headers: auth });
      expect(unnamed.json<QueryErrorBody>()).toMatchObject({ statusCode: 400, message: "querystring must have required property 'field'" });
    });
  });

  describe('POST /api/histogram', () => {
    it('counts events per bucket and severity', async () => {
      const res = await post('/api/histogram', { ...FIXTURE_RANGE, interval: '1d', query: 'ALB' });
      expect(res.statusCode).toBe(200);
      const body = res.json<HistogramResponse>();
      expect(body.interval).toBe('1d');
      const firstDay = body.buckets.filter((b) => b.time === '2024-03-01T00:00:00.000Z').sort((a, b) => a.group.localeCompare(b.group));
      expect(firstDay).toEqual([
        { time: '2024-03-01T00:00:00.000Z', group: 'info', count: 1 },
        { time: '2024-03-01T00:00:00.000Z', group: 'warning', count: 1 },
      ]);
      expect(body.buckets.reduce((n, b) => n + b.count, 0)).toBe(8);
    });

    it('picks an interval and splits by another column', async () => {
      const body = (await post('/api/histogram', { ...FIXTURE_RANGE, by: 'logType' })).json<HistogramResponse>();
      expect(body.interval).toBe('3h');
      expect(new Set(body.buckets.map((b) => b.group))).toEqual(new Set(['cloudtrail', 'alb', 'vpcflow']));
      expect(body.buckets.reduce((n, b) => n + b.count, 0)).toBe(28);
    });

    it('reports a bad split column and a bad query', async () => {
      const byError = (await post('/api/histogram', { ...FIXTURE_RANGE, by: 'nope' })).json<QueryErrorBody>();
      expect(byError.message).toMatch(/^by: unknown field "nope"/);
      expect(byError.position).toBeUndefined();
      const queryError = (await post('/api/histogram', { ...FIXTURE_RANGE, query: 'events | where' })).json<QueryErrorBody>();
      expect(queryError.position?.column).toBe(15);
    });
  });
});
