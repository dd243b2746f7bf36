import type { FastifyInstance } from 'fastify';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Source } from '../../../shared/api';
import type { BackfillEstimate, FieldErrorsBody } from '../../../shared/backfill';
import { createAwsClients } from '../../aws/clients';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../log';
import { openTestStore, type TestStore } from '../../query/testing';
import { buildServices } from '../../sidecar';
import { buildApi } from '../server';

const TOKEN = 'backfill-api-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const ROLE = 'arn:aws:iam::444455556666:role/lookback-reader';
const TEMP_KEY = 'ASIATEMPORARYKEY0001';

interface SeenRequest {
  method: string;
  url: string;
  authorization: string;
  securityToken: string;
  body: string;
}

/**
 * For this test only: an AWS endpoint that answers STS AssumeRole with temporary credentials,
 * and S3 ListObjectsV2 with AccessDenied unless the request is signed with those credentials.
 */
function fakeAws(): Promise<{ server: Server; url: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const authorization = String(req.headers.authorization ?? '');
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization, securityToken: String(req.headers['x-amz-security-token'] ?? ''), body });
      res.setHeader('content-type', 'text/xml');
      if (body.includes('Action=AssumeRole')) {
        res.end(
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>
             <AccessKeyId>${TEMP_KEY}</AccessKeyId><SecretAccessKey>temporary-secret</SecretAccessKey><SessionToken>temporary-session-token</SessionToken>
             <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
             <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:lookback</AssumedRoleId><Arn>arn:aws:sts::444455556666:assumed-role/lookback-reader/lookback</Arn></AssumedRoleUser>
           </AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`
        );
        return;
      }
      const bucket = (req.url ?? '').split('?')[0].split('/')[1];
      if (bucket === 'shared-logs' && authorization.includes(TEMP_KEY)) {
        res.end(
          '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>shared-logs</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>'
        );
        return;
      }
      res.statusCode = 403;
      res.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>2</RequestId></Error>');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }))
  );
}

describe('backfill API', () => {
  let db: TestStore;
  let app: FastifyInstance;
  let aws: Awaited<ReturnType<typeof fakeAws>>;

  beforeAll(async () => {
    aws = await fakeAws();
    db = await openTestStore(false);
    const log = createLogger('silent');
    const config = loadConfig(undefined, {
      LOOKBACK_AWS_ENDPOINT: aws.url,
      LOOKBACK_AWS_ACCESS_KEY_ID: 'AKIASIDECAR',
      LOOKBACK_AWS_SECRET_ACCESS_KEY: 'sidecar-secret',
    });
    const services = buildServices(config, db.store, createAwsClients(config.aws), log);
    const sources: Source[] = [
      { id: 'trail', logType: 'cloudtrail', bucket: 'denied-logs', region: 'us-east-1', backfillQueueUrl: `${aws.url}/000000000000/trail-backfill` },
    ];
    await services.registry.open(sources);
    app = buildApi(services.api, TOKEN);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    aws.server.close();
  });

  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload, headers: auth });

  it('answers AccessDenied on list with a 400 naming the bucket, and stores nothing', async () => {
    const response = await post('/api/backfills', { sourceId: 'trail', from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' });
    expect(response.statusCode).toBe(400);
    const body = response.json<FieldErrorsBody>();
    expect(body.fields).toEqual([{ field: 'bucket', message: expect.stringMatching(/^access denied listing s3:\/\/denied-logs\/: .*s3:ListBucket/) }]);
    const stored = await db.store.query<{ n: number }>('SELECT (SELECT count() FROM backfills) + (SELECT count() FROM backfill_units) AS n');
    expect(Number(stored.rows[0].n)).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/backfills', headers: auth })).json()).toEqual({ backfills: [] });
  });

  it('reads a bucket of another account with the assumed role and its external ID', async () => {
    aws.seen.length = 0;
    const response = await post('/api/backfills/estimate', {
      sourceId: 'trail',
      bucket: 'shared-logs',
      roleArn: ROLE,
      externalId: 'lookback-external-id',
      prefixes: ['AWSLogs/444455556666/CloudTrail/us-east-1/'],
      from: '2026-10-01T00:00:00Z',
      to: '2026-10-03T00:00:00Z',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<BackfillEstimate>()).toEqual({
      prefixes: [
        'AWSLogs/444455556666/CloudTrail/us-east-1/2026/10/01/',
        'AWSLogs/444455556666/CloudTrail/us-east-1/2026/10/02/',
        'AWSLogs/444455556666/CloudTrail/us-east-1/2026/10/03/',
      ],
      objects: 0,
      bytes: 0,
      expectedSeconds: null,
    });
    const assume = aws.seen.find((r) => r.body.includes('Action=AssumeRole'))!;
    expect(new URLSearchParams(assume.body).get('RoleArn')).toBe(ROLE);
    expect(new URLSearchParams(assume.body).get('ExternalId')).toBe('lookback-external-id');
    expect(assume.authorization).toContain('Credential=AKIASIDECAR/');
    const lists = aws.seen.filter((r) => r.url.startsWith('/shared-logs'));
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((r) => r.authorization.includes(`Credential=${TEMP_KEY}/`) && r.securityToken === 'temporary-session-token')).toBe(true);
  });

  it('says which role could not read the bucket', async () => {
    const response = await post('/api/backfills', { sourceId: 'trail', roleArn: ROLE, from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' });
    expect(response.statusCode).toBe(400);
    expect(response.json<FieldErrorsBody>().fields[0]).toMatchObject({
      field: 'roleArn',
      message: expect.stringMatching(/access denied listing s3:\/\/denied-logs\//),
    });
  });

  it('answers unknown backfills with 404 and bad coverage questions with 400', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/backfills/bf-nope', headers: auth })).statusCode).toBe(404);
    expect((await post('/api/backfills/bf-nope/cancel', {})).statusCode).toBe(404);
    const coverage = await app.inject({ method: 'GET', url: '/api/coverage?source=ghost&from=2026-10-02T00:00:00Z&to=2026-10-01T00:00:00Z', headers: auth });
    expect(coverage.statusCode).toBe(400);
    expect(coverage.json<FieldErrorsBody>().fields).toEqual([
      { field: 'source', message: 'no source "ghost"' },
      { field: 'to', message: 'must be after from' },
    ]);
  });

  it('serves Prometheus metrics with the token only', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toMatch(/^# HELP lookback_queue_messages_visible /m);
    expect(response.body).toMatch(/^lookback_queue_up\{source="trail",queue="backfill"\} 0$/m);
  });
});
