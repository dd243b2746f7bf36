import { spawn } from 'node:child_process';
import type { LedgerEntry } from '../../src/shared/api';
import type { Backfill, BackfillEstimate, CoverageResponse, FieldErrorsBody } from '../../src/shared/backfill';
import type { Bucket } from '../../src/sidecar/generate/bucket';
import { dayRange, eventCount, expectedFor, generatedSource, getBackfill, startBackfill, untilBackfill } from './backfillHarness';
import {
  CLI,
  eventually,
  queueDepth,
  removeDir,
  startEmulatorProcess,
  startSidecarProcess,
  TEST_TOKEN,
  type EmulatorProcess,
  type SidecarProcess,
} from './harness/processes';

const BUCKET = 'backfill-generated-logs';
const SOURCE = 'generated';

/** `lookback backfill <args>` against the sidecar; resolves with its exit code and output. */
function cli(sidecar: SidecarProcess, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [CLI, 'backfill', ...args, '--url', sidecar.url, '--token', TEST_TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('backfill from a generated bucket (emulator + chDB)', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let generated: Bucket;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    const made = await generatedSource(emulator.endpoint, SOURCE, BUCKET);
    generated = made.generated;
    expect(generated.summary().objects).toBe(1920);
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [made.dev.source] });
  }, 60_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  it('loads exactly the 7 days asked for, ends done with right counters and full coverage, searchable within a second', async () => {
    const range = dayRange('2026-10-10', 7);
    const expected = expectedFor(generated, range.from, range.to);
    expect(expected).toMatchObject({ days: 7, objects: 448 });

    const started = Date.now();
    const backfill = await startBackfill(sidecar, { sourceId: SOURCE, ...range, marginMinutes: 0 });
    let firstSearchable = 0;
    while (!firstSearchable && Date.now() - started < 20_000) {
      firstSearchable = (await eventCount(sidecar, SOURCE, range)) > 0 ? Date.now() : 0;
    }
    expect(firstSearchable).toBeGreaterThan(0);
    console.log(
      `backfill: first event searchable ${firstSearchable - started} ms after POST /api/backfills (the backfill itself says ${(await getBackfill(sidecar, backfill.id)).firstEventAfterMs} ms)`
    );

    // `status --watch` draws progress until the backfill is done and exits 0.
    const watched = await cli(sidecar, ['status', backfill.id, '--watch']);
    expect(watched.stderr).toBe('');
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/\[█{30}\] 100%  448\/448 objects  /);

    const done = await getBackfill(sidecar, backfill.id);
    console.log(
      `backfill: ${done.counters.processed} objects, ${done.counters.events} events in ${(Date.parse(done.finishedAt!) - Date.parse(done.createdAt)) / 1000} s`
    );
    expect(done.state).toBe('done');
    expect(done.counters).toMatchObject({
      listed: expected.objects,
      enqueued: expected.objects,
      processed: expected.objects,
      failed: 0,
      skipped: 0,
      cancelled: 0,
      events: expected.events,
      malformed: 0,
    });
    expect(done.counters.bytesProcessed).toBe(done.counters.bytesListed);
    expect(done.coverage.from! >= range.from && done.coverage.to! < range.to).toBe(true);

    // Exactly those events are stored, type by type, and none outside the days.
    expect(await eventCount(sidecar, SOURCE)).toBe(expected.events);
    expect(await eventCount(sidecar, SOURCE, range)).toBe(expected.events);
    for (const [type, events] of Object.entries(expected.byType)) {
      const { body } = await sidecar.api<{ count: number }>(`/api/events/count?source=${SOURCE}&logType=${type}`);
      expect([type, body.count]).toEqual([type, events]);
    }

    const { body: coverage } = await sidecar.api<CoverageResponse>(`/api/coverage?source=${SOURCE}&from=2026-10-09T22:00:00Z&to=2026-10-17T02:00:00Z`);
    const states = coverage.hours.map((h) => h.state);
    expect(states.slice(0, 2)).toEqual(['none', 'none']);
    expect(states.slice(2, 2 + 7 * 24).every((s) => s === 'full')).toBe(true);
    expect(states.slice(-2)).toEqual(['none', 'none']);
    expect(coverage.hours.reduce((n, h) => n + h.events, 0)).toBe(expected.events);

    // A dry run of another week: what it would read, and how long that takes at the throughput just measured.
    const next = dayRange('2026-10-20', 7);
    const { status, body: estimate } = await sidecar.api<BackfillEstimate>('/api/backfills/estimate', {
      method: 'POST',
      body: JSON.stringify({ sourceId: SOURCE, ...next, marginMinutes: 0 }),
    });
    expect(status).toBe(200);
    const planned = [...generated.planned()].filter((o) => o.keyTime >= Date.parse(next.from) && o.keyTime < Date.parse(next.to));
    expect(estimate.objects).toBe(planned.length);
    expect(estimate.prefixes).toHaveLength(7 * 3);
    expect(estimate.expectedSeconds).toBeGreaterThan(0);
    console.log(`backfill: estimate for the next week: ${estimate.objects} objects, ${estimate.bytes} bytes, about ${estimate.expectedSeconds} s`);
    expect((await sidecar.api<{ backfills: Backfill[] }>('/api/backfills')).body.backfills).toHaveLength(1);
  }, 150_000);

  it.each([
    ['an unknown source', { sourceId: 'nope', from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' }, 'sourceId', /no source "nope"/],
    [
      'a missing bucket',
      { sourceId: SOURCE, bucket: 'no-such-bucket', from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' },
      'bucket',
      /bucket "no-such-bucket" does not exist/,
    ],
    ['an inverted range', { sourceId: SOURCE, from: '2026-10-08T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'to', /must be after from/],
    ['an absurd range', { sourceId: SOURCE, from: '1970-01-01T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'from', /before S3 existed/],
    ['a prefix off the layout', { sourceId: SOURCE, prefixes: ['AWSLogs/not-an-account/'] }, 'prefixes[0]', /"not-an-account\/" is not account ID/],
    [
      'a prefix with nothing under it',
      { sourceId: SOURCE, prefixes: ['AWSLogs/999999999999/'], from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' },
      'prefixes[0]',
      /nothing under s3:\/\/backfill-generated-logs\/AWSLogs\/999999999999\//,
    ],
  ])('refuses %s with a 400 naming the field, and leaves no backfill behind', async (_what, request, field, message) => {
    const before = (await sidecar.api<{ backfills: Backfill[] }>('/api/backfills')).body.backfills.length;
    const { status, body } = await sidecar.api<FieldErrorsBody>('/api/backfills', { method: 'POST', body: JSON.stringify(request) });
    expect(status).toBe(400);
    expect(body.fields.find((f) => f.field === field)?.message).toMatch(message);
    expect((await sidecar.api<{ backfills: Backfill[] }>('/api/backfills')).body.backfills).toHaveLength(before);
  });

  it('cancel stops the backfill: no further ingest, the dropped messages counted', async () => {
    const range = dayRange('2026-10-18', 13);
    const backfill = await startBackfill(sidecar, { sourceId: SOURCE, ...range, marginMinutes: 0, order: 'oldest' });
    // Listed through the backfill queue (listing units behind notifications): on a busy machine `running` takes a while.
    await untilBackfill(sidecar, backfill.id, (b) => b.counters.processed >= 40 && b.state === 'running', 'some objects ingested', 90_000);
    const { status, body: cancelled } = await sidecar.api<Backfill>(`/api/backfills/${backfill.id}/cancel`, { method: 'POST', body: '{}' });
    expect(status).toBe(200);
    expect(cancelled.state).toBe('cancelled');
    const cancelledAt = Date.now();

    // Every queued message is dropped and counted; only the blocks of objects already read when it was cancelled still land.
    const settled = await untilBackfill(
      sidecar,
      backfill.id,
      (b) => b.counters.processed + b.counters.failed + b.counters.cancelled === b.counters.enqueued,
      'the queued messages dropped and counted'
    );
    await eventually(async () => ((await queueDepth(sidecar)) === 0 ? true : undefined), 'the queues empty');
    expect(settled.state).toBe('cancelled');
    expect(settled.counters.enqueued).toBe(expectedFor(generated, range.from, range.to).objects);
    expect(settled.counters.cancelled).toBeGreaterThan(0);
    const { body: ledger } = await sidecar.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${SOURCE}&limit=10000`);
    const readAfterCancel = ledger.objects.filter((o) => o.backfillId === backfill.id && o.status === 'ok' && Date.parse(o.processedAt) > cancelledAt);
    expect(readAfterCancel).toEqual([]);
    const eventsAfter = await eventCount(sidecar, SOURCE, range);
    expect(eventsAfter).toBe(settled.counters.events);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await eventCount(sidecar, SOURCE, range)).toBe(eventsAfter);
    expect((await sidecar.api<{ message: string }>(`/api/backfills/${backfill.id}/cancel`, { method: 'POST', body: '{}' })).status).toBe(409);
  }, 120_000);
});
