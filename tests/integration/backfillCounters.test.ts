import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import type { Backfill } from '../../src/shared/backfill';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { putAndNotify, putObject, REGION } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';
import { startBackfill, untilBackfill } from './backfillHarness';

const ACCOUNT = '111122223333';
const PREFIX = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/05/`;
const EVENTS_PER_FILE = 10;

/** A backfill over objects live ingest already stored says what it added, and counts the rest as already ingested. */
describe('backfill counters over objects already ingested', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let dev: DevSource;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    dev = await createDevSource({ endpoint: emulator.endpoint, id: 'counted', bucket: 'counted-logs', logType: 'cloudtrail', visibilityTimeout: 10 });
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
  }, 30_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  it('counts only what it read and stored: 2 new objects and their events; the 4 live ones as skipped, already ingested', async () => {
    const end = Date.UTC(2026, 10, 5, 12);
    const files = cloudTrailFiles({ account: ACCOUNT, region: REGION, start: end - 6 * 600_000, end, files: 6, eventsPerFile: EVENTS_PER_FILE, seed: 5 });
    const bodies = files.map((f) => JSON.stringify({ Records: f.records }));
    const keys = files.map((f, i) => `${PREFIX}${f.key.split('/').pop()!.replace('.json.gz', `_${i}.json`)}`);
    const sizes: number[] = [];
    for (const [i, key] of keys.entries()) {
      const created =
        i < 4
          ? await putAndNotify(emulator.endpoint, dev.topicArn, dev.source.bucket, key, bodies[i])
          : await putObject(emulator.endpoint, dev.source.bucket, key, bodies[i]);
      sizes.push(created.size);
    }
    await eventually(async () => {
      const { body } = await sidecar.api<{ objects: LedgerEntry[] }>('/api/objects?source=counted');
      return body.objects.length === 4 ? true : undefined;
    }, 'the 4 live objects ingested');

    const started = await startBackfill(sidecar, { sourceId: 'counted', prefixes: [PREFIX] });
    const done = await untilBackfill(sidecar, started.id, (b: Backfill) => b.state === 'done', 'the backfill done');
    expect(done.counters).toMatchObject({
      listed: 6,
      enqueued: 6,
      processed: 2,
      failed: 0,
      skipped: 4,
      alreadyIngested: 4,
      cancelled: 0,
      events: 2 * EVENTS_PER_FILE,
      malformed: 0,
      bytesProcessed: sizes[4] + sizes[5],
    });
    const { body } = await sidecar.api<CountResponse>('/api/events/count?source=counted');
    expect(body.count).toBe(6 * EVENTS_PER_FILE);
  }, 90_000);
});
