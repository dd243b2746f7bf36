// Many sidecars, one store, one set of queues, no coordinator: three `lookback serve` processes on
// the test ClickHouse server (tests/clickhouse/server.ts: ClickHouse's HTTP interface on chDB)
// share a 30-day backfill, listed a page at a time by whichever takes each listing unit, and live
// notifications; one is killed with kill -9 half-way.
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { startTestClickHouse, type TestClickHouse } from '../clickhouse/start';
import { dayRange, eventCount, expectedFor, generatedSource, getBackfill, startBackfill, untilBackfill } from './backfillHarness';
import { putAndNotify, REGION } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const USER = 'lookback';
const PASSWORD = 'multi-sidecar-password';
const SOURCE = 'shared';
const LIVE_FILES = 6;
const LIVE_EVENTS_PER_FILE = 40;

const logged = (sidecar: SidecarProcess, msg: string) => sidecar.logs.filter((l) => l.msg === msg);

describe('three sidecars sharing one ClickHouse server and one set of queues', () => {
  let clickhouse: TestClickHouse;
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    [clickhouse, emulator] = await Promise.all([startTestClickHouse({ users: { [USER]: PASSWORD } }), startEmulatorProcess()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([clickhouse?.stop(), emulator?.stop()]);
  });

  it('list and ingest a backfill and live objects together, each object exactly once, one of them killed half-way', async () => {
    const { dev, generated } = await generatedSource(emulator.endpoint, SOURCE, 'multi-sidecar-logs');
    const range = dayRange('2026-10-02', 30);
    const expected = expectedFor(generated, range.from, range.to);
    const env = {
      LOOKBACK_STORE_KIND: 'clickhouse',
      LOOKBACK_STORE_URL: clickhouse.url,
      LOOKBACK_STORE_USERNAME: USER,
      LOOKBACK_STORE_PASSWORD: PASSWORD,
      // Small pages: many listing units, so that every sidecar lists some.
      LOOKBACK_LIST_PAGE_SIZE: '10',
    };
    const dirs = [tempDir('multi-a'), tempDir('multi-b'), tempDir('multi-c')];
    const sidecars = await Promise.all(dirs.map((dataDir) => startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, env })));
    const [a, b, victim] = sidecars;
    try {
      const started = await startBackfill(a, { sourceId: SOURCE, ...range, marginMinutes: 0 });
      // Live objects of another day while the backfill runs, through the source's topic and live queue.
      const end = Date.UTC(2026, 10, 10, 12);
      const live = cloudTrailFiles({
        account: '123456789012',
        region: REGION,
        start: end - 6 * 3_600_000,
        end,
        files: LIVE_FILES,
        eventsPerFile: LIVE_EVENTS_PER_FILE,
        seed: 16,
      });
      for (const file of live) {
        await putAndNotify(emulator.endpoint, dev.topicArn, dev.source.bucket, file.key, JSON.stringify({ Records: file.records }));
      }

      // Half-way, once the victim has listed and ingested some of it: kill -9.
      let seen = '';
      await eventually(
        async () => {
          const backfill = await getBackfill(b, started.id);
          const work = sidecars.map((s) => `${logged(s, 'listed a page').length} pages, ${logged(s, 'object ingested').length} objects`);
          seen = `${backfill.state} ${JSON.stringify(backfill.counters)} ${JSON.stringify(backfill.listing)}; per sidecar: ${work.join(' / ')}`;
          const worked = logged(victim, 'listed a page').length > 0 && logged(victim, 'object ingested').length > 0;
          return worked && backfill.counters.processed >= expected.objects / 2 ? true : undefined;
        },
        'half of the backfill handled, some of it by the sidecar to kill',
        240_000
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last seen: ${seen}`);
      });
      victim.proc.kill('SIGKILL');
      expect(await victim.exited).toBe(137);

      // Completed by the two left, read through either.
      const done = await untilBackfill(b, started.id, (x) => x.state === 'done', 'the backfill done', 300_000);
      expect(done.counters).toMatchObject({
        listed: expected.objects,
        enqueued: expected.objects,
        processed: expected.objects,
        failed: 0,
        events: expected.events,
      });
      expect(done.listing).toMatchObject({ unitsDone: done.listing!.units });
      // Each sidecar folds the shared state once a second: the other one says done soon after.
      await untilBackfill(a, started.id, (x) => x.state === 'done', 'the backfill done through the other sidecar', 30_000);
      expect(await eventCount(a, SOURCE, range)).toBe(expected.events);
      const liveEvents = LIVE_FILES * LIVE_EVENTS_PER_FILE;
      await eventually(async () => ((await eventCount(b, SOURCE)) === expected.events + liveEvents ? true : undefined), 'the live events stored', 60_000);
      expect(await eventCount(a, SOURCE)).toBe(expected.events + liveEvents);

      // Every sidecar listed pages and ingested objects; no object was ingested twice (a message the victim held
      // came back and was dropped as already ingested); every prefix was listed to its last page.
      const ingested = sidecars.flatMap((s) => logged(s, 'object ingested').map((l) => String(l.key)));
      expect(new Set(ingested).size).toBe(ingested.length);
      for (const sidecar of sidecars) {
        expect(logged(sidecar, 'listed a page').length).toBeGreaterThan(0);
        expect(logged(sidecar, 'object ingested').length).toBeGreaterThan(0);
      }
      const lastPages = sidecars.flatMap((s) =>
        logged(s, 'listed a page')
          .filter((l) => l.last === true)
          .map((l) => String(l.prefix))
      );
      expect(new Set(lastPages).size).toBe(done.listing!.units);
    } finally {
      await Promise.all(sidecars.map((s) => s.stop()));
      dirs.forEach(removeDir);
    }
  }, 600_000);
});
