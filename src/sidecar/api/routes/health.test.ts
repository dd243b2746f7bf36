import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthResponse } from '../../../shared/api';
import { createAwsClients } from '../../aws/clients';
import { loadConfig } from '../../config/load';
import { createLogger } from '../../log';
import { openTestStore, type TestStore } from '../../query/testing';
import { buildServices } from '../../sidecar';
import { buildApi } from '../server';

const TOKEN = 'health-api-test-token-0123456789';
const ACCOUNT = '444455556666';

/** For this test only: an SQS endpoint that answers GetQueueAttributes and counts the calls. */
function fakeSqs(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push(String(req.headers['x-amz-target'] ?? ''));
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(JSON.stringify({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1' } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls }))
  );
}

describe('GET /api/health', () => {
  let db: TestStore;
  let app: FastifyInstance;
  let sqs: Awaited<ReturnType<typeof fakeSqs>>;

  beforeAll(async () => {
    sqs = await fakeSqs();
    db = await openTestStore(false);
    const log = createLogger('silent');
    const config = loadConfig(undefined, {
      LOOKBACK_AWS_ENDPOINT: sqs.url,
      LOOKBACK_AWS_ACCESS_KEY_ID: 'AKIATEST',
      LOOKBACK_AWS_SECRET_ACCESS_KEY: 'secret',
    });
    const services = buildServices(config, db.store, createAwsClients(config.aws), log);
    await services.registry.open([
      {
        id: 'trail',
        logType: 'cloudtrail',
        bucket: 'trail-logs',
        region: 'us-east-1',
        liveQueueUrl: `${sqs.url}/${ACCOUNT}/trail-live`,
      },
    ]);
    app = buildApi({ ...services.api, version: 'test' }, TOKEN);
  });

  afterAll(async () => {
    await app.close();
    await db.close();
    sqs.server.close();
  });

  it('says only up or down without the token, and calls no AWS API for it', async () => {
    const before = sqs.calls.length;
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.body).not.toContain(ACCOUNT);
    expect(sqs.calls.length).toBe(before);
  });

  it('gives every check with its reason, queue URLs included, with the token', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<HealthResponse>();
    expect(body).toMatchObject({ status: 'ok', version: 'test', store: { status: 'ok' } });
    expect(body.queues).toEqual([{ name: 'trail live queue', status: 'ok', detail: `${sqs.url}/${ACCOUNT}/trail-live: 3 waiting, 1 in flight` }]);
    expect(sqs.calls).toContain('AmazonSQS.GetQueueAttributes');
  });

  it('refuses a wrong token rather than answering as if none was sent', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: 'Bearer wrong-token-0123456789abcdef' },
    });
    expect(response.statusCode).toBe(401);
  });
});
