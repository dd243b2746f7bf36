import type { LedgerEntry } from '../../src/shared/api';
import { DEFAULT_BACKFILL_CONCURRENCY } from '../../src/sidecar/config/schema';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { dayRange, generatedSource, startBackfill, untilBackfill } from './backfillHarness';
import { publishObjectCreated } from '../../src/sidecar/emulator/notify';
import { putObject, REGION } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const BUCKET = 'live-first-logs';
const SOURCE = 'mixed';
const LIVE_OBJECTS = 6;
/**
 * Backfill objects that may finish while a live object waits: those already read or being read
 * when it is published, whose insert block lands whole. All backfill messages share
 * DEFAULT_BACKFILL_CONCURRENCY reads, so this stays the bound the test had with two messages at
 * once (2 x 2 x 8) whatever BACKFILL_MESSAGES is; runs show 8 to 15. Without live first, the
 * queue's hundreds of objects would land first.
 */
const BOUND = 4 * DEFAULT_BACKFILL_CONCURRENCY;
/** From publishing to the ledger row, with a 1 s long poll; generous for a slow CI machine, far below what draining the queue first would take. */
const MAX_LIVE_LATENCY_MS = 5000;

describe('live notifications go first during a backfill', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  it('ingests each live object before more than a few further backfill objects', async () => {
    const { dev } = await generatedSource(emulator.endpoint, SOURCE, BUCKET);
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
    const backfill = await startBackfill(sidecar, { sourceId: SOURCE, ...dayRange('2026-10-02', 30), marginMinutes: 0, order: 'oldest' });
    const listed = await untilBackfill(sidecar, backfill.id, (b) => b.state === 'running', 'the backfill listed');
    expect(listed.counters.enqueued).toBeGreaterThanOrEqual(1000);

    const end = Date.UTC(2026, 10, 20, 12);
    const files = cloudTrailFiles({ account: '999988887777', region: REGION, start: end - 3_600_000, end, files: LIVE_OBJECTS, eventsPerFile: 50, seed: 77 });
    const published = new Map<string, number>();
    for (const file of files) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const object = await putObject(emulator.endpoint, BUCKET, file.key, JSON.stringify({ Records: file.records }));
      published.set(file.key, Date.now());
      await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, object);
    }

    const ledger = await eventually(async () => {
      const { body } = await sidecar.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${SOURCE}&limit=10000`);
      return body.objects.filter((o) => published.has(o.key)).length === LIVE_OBJECTS ? body.objects : undefined;
    }, 'the live objects ingested');
    const backfilled = ledger.filter((o) => o.backfillId === backfill.id).map((o) => Date.parse(o.processedAt));
    const overtaking = ledger
      .filter((o) => published.has(o.key))
      .map((live) => {
        const sent = published.get(live.key)!;
        const done = Date.parse(live.processedAt);
        return { latencyMs: done - sent, backfillObjectsMeanwhile: backfilled.filter((t) => t > sent && t < done).length };
      });
    console.log(`live first: ${JSON.stringify(overtaking)}`);
    for (const o of overtaking) {
      expect(o.backfillObjectsMeanwhile).toBeLessThanOrEqual(BOUND);
      // Those objects share the live object's insert or the one before it: it waits about one insert, not for the queue.
      expect(o.latencyMs).toBeLessThan(MAX_LIVE_LATENCY_MS);
    }
    // The backfill was busy all along: when the last live object was in, much of it was still to do
    // (the whole 30-day bucket, 1,920 objects, as packed backfill messages ingest hundreds a second).
    const lastLive = Math.max(...ledger.filter((o) => published.has(o.key)).map((o) => Date.parse(o.processedAt)));
    const doneBefore = backfilled.filter((t) => t <= lastLive).length;
    expect(listed.counters.enqueued - doneBefore).toBeGreaterThan(300);
    await sidecar.api(`/api/backfills/${backfill.id}/cancel`, { method: 'POST', body: '{}' });
  }, 150_000);
});
