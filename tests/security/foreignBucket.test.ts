import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { CountResponse, LedgerEntry, RejectedMessage, Source } from '../../src/shared/api';
import type { Backfill } from '../../src/shared/backfill';
import { packPage } from '../../src/sidecar/backfill/pack';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { s3Notification, type CreatedObject } from '../../src/sidecar/emulator/notify';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { putObject, REGION, s3Client, sendRaw } from '../integration/harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from '../integration/harness/processes';

const ACCOUNT = '111122223333';
const PREFIX = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/03/`;
const SECRET_BUCKET = 'other-secret-bucket';

function trail(seed: number): string {
  const end = Date.UTC(2026, 10, 3, 12);
  const [file] = cloudTrailFiles({ account: ACCOUNT, region: REGION, start: end - 600_000, end, files: 1, eventsPerFile: 10, seed });
  return JSON.stringify({ Records: file.records });
}

/** One S3 notification naming several objects (S3 sends one per object; anyone can write more). */
function notificationOf(objects: CreatedObject[]): string {
  return JSON.stringify({ Records: objects.flatMap((o) => (JSON.parse(s3Notification(o, REGION)) as { Records: unknown[] }).Records) });
}

function forgedBackfillMessage(backfillId: string, object: CreatedObject): string {
  const [body] = packPage(backfillId, object.bucket, REGION, [
    { key: object.key, size: object.size, etag: object.etag.replace(/"/g, ''), lastModified: Date.now() },
  ]);
  return body;
}

/**
 * Anyone who can write to a source's queue can name any bucket the sidecar's credentials read. A
 * notification is trusted only for its source's bucket and prefix (a backfill's: its bucket, and
 * only when the backfill exists and is the queue source's); what is refused is recorded, the rest lands.
 */
describe('notifications naming objects outside their source are refused and recorded', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let trusted: DevSource;
  let other: DevSource;
  let source: Source;
  let secret: CreatedObject;
  let good: CreatedObject;
  let outsidePrefix: CreatedObject;
  let otherBackfill: Backfill;
  let ownBackfill: Backfill;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    trusted = await createDevSource({ endpoint: emulator.endpoint, id: 'trusted', bucket: 'trusted-logs', logType: 'cloudtrail' });
    other = await createDevSource({ endpoint: emulator.endpoint, id: 'other', bucket: 'other-logs', logType: 'cloudtrail' });
    source = { ...trusted.source, prefix: `AWSLogs/${ACCOUNT}/` };
    // A bucket the sidecar can read but that no source names.
    await s3Client(emulator.endpoint).send(new CreateBucketCommand({ Bucket: SECRET_BUCKET }));
    secret = await putObject(emulator.endpoint, SECRET_BUCKET, `${PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261103T1200Z_secret.json`, trail(1));
    good = await putObject(emulator.endpoint, 'trusted-logs', `${PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261103T1200Z_good.json`, trail(2));
    outsidePrefix = await putObject(emulator.endpoint, 'trusted-logs', `private/${ACCOUNT}_CloudTrail_us-east-1_20261103T1200Z_private.json`, trail(3));
    await putObject(emulator.endpoint, 'other-logs', `${PREFIX}${ACCOUNT}_CloudTrail_us-east-1_20261103T1200Z_other.json`, trail(4));

    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [source, other.source] });
    const start = async (sourceId: string) => {
      const { status, body } = await sidecar.api<Backfill>('/api/backfills', { method: 'POST', body: JSON.stringify({ sourceId, prefixes: [PREFIX] }) });
      expect(status).toBe(201);
      return body;
    };
    otherBackfill = await start('other');
    ownBackfill = await start('trusted');
  }, 60_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  const rejected = async () => (await sidecar.api<{ messages: RejectedMessage[] }>('/api/rejected-messages')).body.messages;
  const ledger = async () => (await sidecar.api<{ objects: LedgerEntry[] }>('/api/objects?limit=1000')).body.objects;
  const eventsIn = async (bucket: string) => (await sidecar.api<CountResponse>(`/api/events/count?bucket=${bucket}`)).body.count;

  it('a live notification naming another bucket and a key outside the prefix: those are refused, its good object lands', async () => {
    await sendRaw(emulator.endpoint, source.liveQueueUrl!, notificationOf([secret, good, outsidePrefix]));
    const entry = await eventually(async () => (await ledger()).find((o) => o.key === good.key), 'the good object in the ledger');
    expect(entry).toMatchObject({ sourceId: 'trusted', bucket: 'trusted-logs', status: 'ok', events: 10 });
    const [message] = await eventually(async () => ((await rejected()).length ? rejected() : undefined), 'the refusal recorded');
    expect(message.sourceId).toBe('trusted');
    expect(message.queue).toBe(source.liveQueueUrl);
    expect(message.reason).toBe(
      `2 of 3 objects refused: s3://${SECRET_BUCKET}/${secret.key} is not in the bucket of source "trusted" (trusted-logs); ` +
        `s3://trusted-logs/${outsidePrefix.key} is not under the prefix of source "trusted" (AWSLogs/${ACCOUNT}/)`
    );
    expect(message.body).toContain(SECRET_BUCKET);
    expect(await eventsIn(SECRET_BUCKET)).toBe(0);
    expect((await sidecar.api<CountResponse>(`/api/events/count?key=${encodeURIComponent(outsidePrefix.key)}`)).body.count).toBe(0);
    expect((await ledger()).filter((o) => o.bucket === SECRET_BUCKET || o.key === outsidePrefix.key)).toEqual([]);
  }, 40_000);

  it.each([
    [
      'a backfill that does not exist',
      () => forgedBackfillMessage('bf-20261103T120000-000000', secret),
      /names backfill "bf-20261103T120000-000000", which does not exist/,
    ],
    [
      "another source's backfill",
      () => forgedBackfillMessage(otherBackfill.id, secret),
      /names backfill "bf-[^"]+" of source "other", not of this queue's source "trusted"/,
    ],
    [
      'its own backfill, but another bucket',
      () => forgedBackfillMessage(ownBackfill.id, secret),
      /1 of 1 objects refused: s3:\/\/other-secret-bucket\/.* is not in the bucket of backfill "bf-[^"]+" \(trusted-logs\)/,
    ],
  ])(
    'a backfill notification naming %s is refused and recorded',
    async (_what, message, reason) => {
      const before = (await rejected()).length;
      await sendRaw(emulator.endpoint, source.backfillQueueUrl!, message());
      const messages = await eventually(async () => {
        const all = await rejected();
        return all.length > before ? all : undefined;
      }, 'the refusal recorded');
      expect(messages[0].reason).toMatch(reason);
      expect(messages[0].queue).toBe(source.backfillQueueUrl);
      expect(await eventsIn(SECRET_BUCKET)).toBe(0);
    },
    40_000
  );

  it('the real backfills still ingest what they listed, and nothing of the secret bucket is stored or counted', async () => {
    for (const backfill of [otherBackfill, ownBackfill]) {
      const done = await eventually(async () => {
        const { body } = await sidecar.api<Backfill>(`/api/backfills/${backfill.id}`);
        return body.state === 'done' ? body : undefined;
      }, `backfill ${backfill.id} done`);
      expect(done.counters).toMatchObject({ listed: 1, failed: 0 });
    }
    expect(await eventsIn('other-logs')).toBe(10);
    expect(await eventsIn(SECRET_BUCKET)).toBe(0);
    expect((await ledger()).filter((o) => o.bucket === SECRET_BUCKET)).toEqual([]);
    const { body: health } = await sidecar.api<{ ingest: { rejectedMessages: number } }>('/api/health');
    expect(health.ingest.rejectedMessages).toBe(4);
  }, 70_000);
});
