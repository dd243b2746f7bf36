import type { CountResponse, Source } from '../../src/shared/api';
import type { FieldErrorsBody, SourceStatus } from '../../src/shared/backfill';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { putAndNotify, REGION } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess, type SidecarProcess } from './harness/processes';

describe('sources managed through the API', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let configured: Source;
  const dataDir = tempDir('sources');

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    configured = (await createDevSource({ endpoint: emulator.endpoint, id: 'from-config', bucket: 'config-logs' })).source;
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [configured], dataDir });
  }, 30_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(dataDir);
  });

  const send = (method: string, path: string, body?: object) => sidecar.api<unknown>(path, { method, body: body ? JSON.stringify(body) : undefined });

  it("lists the config file's sources with their status, read-only", async () => {
    const { status, body } = await sidecar.api<SourceStatus[]>('/api/sources');
    expect(status).toBe(200);
    expect(body).toEqual([
      {
        source: { ...configured, managedBy: 'config' },
        lastEventTime: null,
        eventsLast24h: 0,
        liveQueue: { visible: 0, inFlight: 0 },
        backfillQueue: { visible: 0, inFlight: 0 },
        failedObjects: 0,
        malformedRecords: 0,
      },
    ]);
    const edit = await send('PUT', '/api/sources/from-config', { ...configured, prefix: 'AWSLogs/' });
    expect(edit.status).toBe(409);
    expect((edit.body as { message: string }).message).toMatch(/defined in the sidecar's config file/);
  });

  it('reports every invalid field at once', async () => {
    const { status, body } = await send('POST', '/api/sources', { id: 'Bad Id', bucket: 'x', logType: 'syslog', liveQueueUrl: 'queue', colour: 'red' });
    expect(status).toBe(400);
    const fields = (body as FieldErrorsBody).fields.map((f) => f.field).sort();
    expect(fields).toEqual(['bucket', 'colour', 'id', 'liveQueueUrl', 'logType']);
  });

  it('checks a declared VPC flow format field by field', async () => {
    const { status, body } = await send('POST', '/api/sources', {
      id: 'flows',
      bucket: 'flow-logs',
      logType: 'vpcflow',
      vpcFlowFormat: '${version} ${srcaddr} colour',
    });
    expect(status).toBe(400);
    expect((body as FieldErrorsBody).fields).toEqual([
      { field: 'vpcFlowFormat', message: expect.stringMatching(/^"colour" is not a VPC flow log field \(known: version account-id/) },
    ]);
  });

  it('refuses a bucket or queue that does not exist', async () => {
    const { status, body } = await send('POST', '/api/sources', {
      id: 'ghost',
      bucket: 'no-such-bucket',
      liveQueueUrl: `${emulator.endpoint}/000000000000/no-such-queue`,
    });
    expect(status).toBe(400);
    expect((body as FieldErrorsBody).fields).toEqual([
      { field: 'bucket', message: 'bucket "no-such-bucket" does not exist' },
      { field: 'liveQueueUrl', message: expect.stringMatching(/^queue (no such queue|does not exist)/) },
    ]);
    expect((await sidecar.api<SourceStatus[]>('/api/sources')).body).toHaveLength(1);
  });

  it('adds a source, ingests from its queue at once, keeps it across restarts, and removes it', async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'added', bucket: 'added-logs' });
    const created = await send('POST', '/api/sources', dev.source);
    expect(created).toEqual({ status: 201, body: { ...dev.source, managedBy: 'api' } });
    const duplicate = await send('POST', '/api/sources', dev.source);
    expect(duplicate.status).toBe(400);
    expect((duplicate.body as FieldErrorsBody).fields).toEqual([{ field: 'id', message: 'a source with id "added" already exists' }]);

    const end = Date.UTC(2026, 10, 2, 12);
    const [file] = cloudTrailFiles({ account: '123456789012', region: REGION, start: end - 600_000, end, files: 1, eventsPerFile: 25, seed: 4 });
    await putAndNotify(emulator.endpoint, dev.topicArn, dev.source.bucket, file.key, JSON.stringify({ Records: file.records }));
    await eventually(async () => {
      const { body } = await sidecar.api<CountResponse>('/api/events/count?source=added');
      return body.count === 25 ? true : undefined;
    }, 'events from the added source');

    const updated = await send('PUT', '/api/sources/added', { ...dev.source, prefix: 'AWSLogs/123456789012/' });
    expect(updated.status).toBe(200);
    await sidecar.stop();
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [configured], dataDir });
    const after = await sidecar.api<SourceStatus>('/api/sources/added');
    expect(after.body.source.prefix).toBe('AWSLogs/123456789012/');
    expect(after.body.lastEventTime).not.toBeNull();

    expect((await send('DELETE', '/api/sources/added')).status).toBe(204);
    expect((await send('GET', '/api/sources/added')).status).toBe(404);
    expect((await send('DELETE', '/api/sources/added')).status).toBe(404);
  }, 60_000);
});
