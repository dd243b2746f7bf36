import { gzipSync } from 'node:zlib';
import type { CountResponse, HealthResponse, LedgerEntry, RejectedMessage } from '../../src/shared/api';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { publishObjectCreated } from '../../src/sidecar/emulator/notify';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { putAndNotify, putObject, REGION, sendRaw } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const BUCKET = 'bad-input-logs';
const PREFIX = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/';

describe('bad input keeps the pipeline alive and is visible', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  const goodKey = `${PREFIX}111122223333_CloudTrail_us-east-1_20261101T1200Z_good.json.gz`;
  const keys = {
    missing: `${PREFIX}111122223333_CloudTrail_us-east-1_20261101T1205Z_missing.json.gz`,
    truncated: `${PREFIX}111122223333_CloudTrail_us-east-1_20261101T1210Z_truncated.json.gz`,
    notCloudTrail: `${PREFIX}111122223333_CloudTrail_us-east-1_20261101T1215Z_text.json.gz`,
  };
  let objects: LedgerEntry[] = [];

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'bad', bucket: BUCKET });
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
    const end = Date.UTC(2026, 10, 1, 12);
    const [file] = cloudTrailFiles({ account: '111122223333', region: REGION, start: end - 600_000, end, files: 1, eventsPerFile: 40, seed: 9 });

    await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, { bucket: BUCKET, key: keys.missing, size: 10, etag: 'abc' });
    await sendRaw(emulator.endpoint, dev.source.liveQueueUrl!, 'this is not JSON {');
    const whole = gzipSync(JSON.stringify({ Records: file.records }));
    await putAndNotify(emulator.endpoint, dev.topicArn, BUCKET, keys.truncated, whole.subarray(0, Math.floor(whole.length / 2)), false);
    await putAndNotify(emulator.endpoint, dev.topicArn, BUCKET, keys.notCloudTrail, 'GET /index.html 200\nGET /admin 403\n');
    const good = await putObject(emulator.endpoint, BUCKET, goodKey, JSON.stringify({ Records: file.records }));
    await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, good);

    objects = await eventually(async () => {
      const { body } = await sidecar.api<{ objects: LedgerEntry[] }>('/api/objects?source=bad');
      return body.objects.length >= 4 ? body.objects : undefined;
    }, 'four objects in the ledger');
  }, 60_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  const entry = (key: string) => objects.find((o) => o.key === key)!;

  it('still ingests the good object', async () => {
    expect(entry(goodKey)).toMatchObject({ status: 'ok', events: 40, malformed: 0 });
    const { body } = await sidecar.api<CountResponse>(`/api/events/count?key=${encodeURIComponent(goodKey)}`);
    expect(body.count).toBe(40);
  });

  it('records a notification for a missing key as a failed object', () => {
    expect(entry(keys.missing).status).toBe('failed');
    expect(entry(keys.missing).error).toMatch(/NoSuchKey/);
  });

  it('records a truncated gzip object as failed, keeping the whole records read before the cut', async () => {
    const e = entry(keys.truncated);
    expect(e.status).toBe('failed');
    expect(e.error).toMatch(/cannot decode .*unexpected end of file/);
    expect(e.events).toBeGreaterThan(0);
    expect(e.events).toBeLessThan(40);
    const { body } = await sidecar.api<CountResponse>(`/api/events/count?key=${encodeURIComponent(keys.truncated)}`);
    expect(body.count).toBe(e.events);
  });

  it('records an object that is not CloudTrail as failed, with malformed samples', () => {
    const e = entry(keys.notCloudTrail);
    expect(e).toMatchObject({ status: 'failed', events: 0, malformed: 2 });
    expect(e.error).toMatch(/no record could be parsed as cloudtrail/);
    expect(e.malformedSamples[0]).toEqual({ record: 1, reason: 'not a JSON record', sample: 'GET /index.html 200' });
  });

  it('keeps a message that is not JSON for inspection', async () => {
    const { body } = await sidecar.api<{ messages: RejectedMessage[] }>('/api/rejected-messages');
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0].reason).toMatch(/message body is not JSON/);
    expect(body.messages[0].body).toBe('this is not JSON {');
  });

  it('shows the failures in health and in clear log lines', async () => {
    const { body } = await sidecar.api<HealthResponse>('/api/health');
    expect(body.ingest).toMatchObject({ objectsOk: 1, objectsFailed: 3, rejectedMessages: 1, events: 40 + entry(keys.truncated).events });
    const warnings = sidecar.logs.filter((l) => l.level === 40).map((l) => `${l.msg}: ${l.key ?? ''} ${l.reason}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rejected message: .*not JSON/),
        expect.stringMatching(/^object failed: .*missing.*NoSuchKey/),
        expect.stringMatching(/^object failed: .*truncated.*cannot decode/),
        expect.stringMatching(/^object failed: .*text.*no record could be parsed/),
      ])
    );
  });
});
