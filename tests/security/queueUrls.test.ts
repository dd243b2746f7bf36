import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FieldErrorsBody } from '../../src/shared/backfill';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from '../integration/harness/processes';

/** A local HTTP server standing for a host an attacker controls: it records every request it gets. */
async function startTrap(): Promise<{
  url: string;
  hits: Array<{ method: string; path: string; authorization: string }>;
  close(): Promise<void>;
}> {
  const hits: Array<{ method: string; path: string; authorization: string }> = [];
  const server: Server = createServer((req, res) => {
    hits.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: String(req.headers.authorization ?? ''),
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:123456789012:trap"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const ACCESS_KEY_ID = 'AKIASECURITYTEST0001';

describe('queue URLs outside AWS SQS are refused and never called (no aws.endpoint)', () => {
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let sidecar: SidecarProcess;

  beforeAll(async () => {
    trap = await startTrap();
    // Static keys, so a request to the trap would carry a SigV4 signature with the key id.
    sidecar = await startSidecarProcess({
      endpoint: '',
      aws: { region: 'us-east-1', accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'not-a-real-secret' },
      sources: [{ id: 'configured', logType: 'cloudtrail', bucket: 'acme-trail', region: 'us-east-1' }],
    });
  }, 30_000);

  afterAll(async () => {
    await sidecar?.stop();
    await trap?.close();
    removeDir(sidecar?.dataDir ?? '');
  });

  const send = (method: string, path: string, body: object) => sidecar.api<FieldErrorsBody>(path, { method, body: JSON.stringify(body) });

  it('POST /api/sources: 400 naming the field, and the host gets nothing', async () => {
    const { status, body } = await send('POST', '/api/sources', {
      id: 'trap',
      bucket: 'acme-trail',
      liveQueueUrl: `${trap.url}/123456789012/lookback-live`,
      backfillQueueUrl: 'https://sqs.us-east-1.amazonaws.com.evil.example/123456789012/lookback-backfill',
    });
    expect(status).toBe(400);
    expect(body.fields).toEqual(
      expect.arrayContaining([
        {
          field: 'liveQueueUrl',
          message: expect.stringMatching(/is not an Amazon SQS queue URL \(https:\/\/sqs\.<region>\.amazonaws\.com\/.*set aws\.endpoint/),
        },
        { field: 'backfillQueueUrl', message: expect.stringMatching(/is not an Amazon SQS queue URL/) },
      ])
    );
    expect(trap.hits).toEqual([]);
  }, 20_000);

  it('PUT /api/sources/:id: the same 400 before anything else', async () => {
    const { status, body } = await send('PUT', '/api/sources/configured', {
      bucket: 'acme-trail',
      liveQueueUrl: `${trap.url}/123456789012/q`,
    });
    expect(status).toBe(400);
    expect(body.fields).toContainEqual({
      field: 'liveQueueUrl',
      message: expect.stringMatching(/is not an Amazon SQS queue URL/),
    });
    expect(trap.hits).toEqual([]);
  }, 20_000);

  it('a config file naming such a queue: the sidecar does not start, and names the field', async () => {
    const start = startSidecarProcess({
      endpoint: '',
      aws: { region: 'us-east-1', accessKeyId: ACCESS_KEY_ID, secretAccessKey: 'not-a-real-secret' },
      sources: [
        {
          id: 'trap',
          logType: 'auto',
          bucket: 'acme-trail',
          region: 'us-east-1',
          liveQueueUrl: `${trap.url}/123456789012/q`,
        },
      ],
    });
    const outcome = await start.then(
      async (started) => {
        await started.stop();
        removeDir(started.dataDir);
        return new Error('the sidecar started');
      },
      (err: Error) => err
    );
    expect(outcome.message).toMatch(
      /process exited with 1 .*invalid config: sources\[0\]\.liveQueueUrl: "http:\/\/127\.0\.0\.1:\d+\/123456789012\/q" is not an Amazon SQS queue URL/s
    );
    expect(trap.hits).toEqual([]);
  }, 60_000);
});

describe('with aws.endpoint, a queue URL must be on that endpoint', () => {
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;

  beforeAll(async () => {
    trap = await startTrap();
    emulator = await startEmulatorProcess();
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [] });
  }, 30_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    await trap?.close();
    removeDir(sidecar?.dataDir ?? '');
  });

  it("refuses a queue on another origin, takes the emulator's own", async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'emulated', bucket: 'emulated-logs' });
    const refused = await sidecar.api<FieldErrorsBody>('/api/sources', {
      method: 'POST',
      body: JSON.stringify({ ...dev.source, liveQueueUrl: `${trap.url}/000000000000/lookback-emulated-live` }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([
      {
        field: 'liveQueueUrl',
        message: `"${trap.url}/000000000000/lookback-emulated-live" is not on the configured aws.endpoint (${emulator.endpoint}), where every SQS call goes`,
      },
    ]);
    expect(trap.hits).toEqual([]);

    const accepted = await sidecar.api('/api/sources', { method: 'POST', body: JSON.stringify(dev.source) });
    expect(accepted.status).toBe(201);
  });
});
