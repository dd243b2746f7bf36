// A real Prometheus (Debian's package, found or installed by scripts/ensure-prometheus.sh) scrapes
// a sidecar's /metrics with the API token during a backfill; the queue-depth and backfill series
// are read back through its query API, as an autoscaler would read them.
import { dayRange, expectedFor, generatedSource, startBackfill, untilBackfill } from './backfillHarness';
import { startPrometheus, type PrometheusProcess } from './harness/prometheus';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const SOURCE = 'scraped';

describe('Prometheus scraping a sidecar during a backfill', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let prometheus: PrometheusProcess;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await sidecar?.stop();
    removeDir(sidecar?.dataDir ?? '');
    await emulator?.stop();
  }, 60_000);

  it('reads the backfill queue depth, the objects remaining and the scrape itself back through its query API', async () => {
    const { dev, generated } = await generatedSource(emulator.endpoint, SOURCE, 'scraped-logs');
    // Few objects at a time: the backfill queue stays deep across several scrapes.
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], ingest: { backfillConcurrency: 2 } });
    prometheus = await startPrometheus(new URL(sidecar.url).host, sidecar.token);
    await eventually(async () => ((await prometheus.query('up{job="lookback"} == 1')).length === 1 ? true : undefined), 'a successful scrape', 60_000);

    const range = dayRange('2026-10-22', 10);
    const expected = expectedFor(generated, range.from, range.to);
    const started = await startBackfill(sidecar, { sourceId: SOURCE, ...range, marginMinutes: 0 });
    const depth = `lookback_queue_messages_visible{job="lookback",source="${SOURCE}",queue="backfill"}`;
    const seen = await eventually(
      async () => {
        const [series] = await prometheus.query(`${depth} > 0`);
        return series;
      },
      'a scrape with messages waiting on the backfill queue',
      120_000
    );
    expect(seen.value).toBeGreaterThan(0);
    expect(seen.value).toBeLessThanOrEqual(expected.objects + 1000);
    const remaining = await eventually(
      async () => (await prometheus.query(`lookback_backfill_objects_remaining{backfill="${started.id}"} > 0`))[0],
      'a scrape with backfill objects remaining',
      60_000
    );
    expect(remaining.metric).toMatchObject({ source: SOURCE, instance: new URL(sidecar.url).host });
    expect(remaining.value).toBeLessThanOrEqual(expected.objects);

    await untilBackfill(sidecar, started.id, (b) => b.state === 'done', 'the backfill done', 300_000);
    // Drained: the depth read back falls to 0, and the backfill leaves the in-progress series.
    await eventually(async () => ((await prometheus.query(`${depth} == 0`)).length === 1 ? true : undefined), 'the queue depth back to 0', 60_000);
    await eventually(
      async () => ((await prometheus.query(`lookback_backfill_objects_remaining{backfill="${started.id}"}`)).length === 0 ? true : undefined),
      'the done backfill gone from the in-progress series',
      60_000
    );
    const ok = `sum(lookback_objects_total{source="${SOURCE}",status="ok"})`;
    await eventually(async () => ((await prometheus.query(`${ok} == ${expected.objects}`)).length === 1 ? true : undefined), 'every object counted ok', 60_000);
    // Every event went through this sidecar's inserts (a redelivered block counts again), in far fewer inserts than objects.
    await eventually(
      async () => ((await prometheus.query(`lookback_event_insert_rows_total{queue="backfill"} >= ${expected.events}`)).length === 1 ? true : undefined),
      'the rows of every event inserted',
      60_000
    );
    const [inserts] = await prometheus.query('lookback_event_inserts_total{queue="backfill"}');
    expect(inserts.value).toBeGreaterThan(0);
    expect(inserts.value).toBeLessThan(expected.objects);
  }, 600_000);
});
