import type { LedgerEntry } from '../../src/shared/api';
import type { Backfill, PulledForward } from '../../src/shared/backfill';
import type { QueryResponse } from '../../src/shared/query';
import type { Bucket } from '../../src/sidecar/generate/bucket';
import { timeFromKey } from '../../src/sidecar/keys/keyTime';
import { eventCount, expectedFor, generatedSource, getBackfill, sourceOn, startBackfill, untilBackfill } from './backfillHarness';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const BUCKET = 'priority-generated-logs';
const HOUR = 3_600_000;
/** The whole generated month. */
const RANGE = { from: '2026-10-02T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' };
/** Small pages and one object read at a time: the month's backfill takes long enough to see what goes first. */
const SLOW = { backfillConcurrency: 1, listPageSize: 8 };

async function query(sidecar: SidecarProcess, text: string, from: number, to: number): Promise<{ status: number; body: QueryResponse }> {
  return sidecar.api<QueryResponse>('/api/query', {
    method: 'POST',
    body: JSON.stringify({ query: text, from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
  });
}

async function ledger(sidecar: SidecarProcess, source: string): Promise<LedgerEntry[]> {
  return (await sidecar.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${source}&limit=10000`)).body.objects;
}

function priority(sidecar: SidecarProcess, id: string, body: unknown, token?: string) {
  return sidecar.api<PulledForward & { message?: string; fields?: Array<{ field: string }> }>(`/api/backfills/${id}/priority`, {
    method: 'POST',
    body: JSON.stringify(body),
    ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }),
  });
}

/** Every event of the month stored once, every object listed handled once. */
async function expectExact(sidecar: SidecarProcess, source: string, backfill: Backfill, generated: Bucket): Promise<void> {
  const expected = expectedFor(generated, RANGE.from, RANGE.to);
  expect(await eventCount(sidecar, source)).toBe(expected.events);
  expect(backfill.counters.listed).toBe(expected.objects);
  expect(backfill.counters.processed + backfill.counters.skipped).toBe(expected.objects);
  expect(backfill.counters.events).toBe(expected.events);
}

describe('hours a search needs load first (query-driven backfill priority)', () => {
  let emulator: EmulatorProcess;
  let generated: Bucket;
  const sidecars: SidecarProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    generated = (await generatedSource(emulator.endpoint, 'priority-base', BUCKET)).generated;
  }, 90_000);

  afterAll(async () => {
    for (const s of sidecars) {
      await s.stop().catch(() => undefined);
      removeDir(s.dataDir);
    }
    await emulator?.stop();
    // Several sidecars stop one after another, each with its grace period: on a busy machine that is more than jest's 30 s.
  }, 120_000);

  async function sidecarFor(id: string, ingest: Record<string, unknown> = SLOW): Promise<SidecarProcess> {
    const dev = await sourceOn(emulator.endpoint, id, BUCKET);
    const sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], ingest });
    sidecars.push(sidecar);
    return sidecar;
  }

  it('a query over an unloaded hour in the middle of a month loads it before older and newer hours, every event once', async () => {
    const source = 'priority-query';
    const sidecar = await sidecarFor(source);
    const hour = Date.parse('2026-10-16T12:00:00Z');
    const started = Date.now();
    const backfill = await startBackfill(sidecar, { sourceId: source, ...RANGE });

    const first = await query(sidecar, 'ALB | count', hour, hour + HOUR);
    expect(first.status).toBe(200);
    expect(first.body.coverage?.missingHours).toEqual([new Date(hour).toISOString()]);
    // The notice says the hour loads first (from the first answer, or the next ones once the request is stored).
    let notice = first.body.coverage?.loadingFirst ? first.body.coverage : undefined;
    const searchable = await eventually(
      async () => {
        const { body } = await query(sidecar, 'ALB | count', hour, hour + HOUR);
        notice ??= body.coverage?.loadingFirst ? body.coverage : undefined;
        return body.coverage === undefined ? Date.now() : undefined;
      },
      'the queried hour to be searchable',
      120_000
    );
    expect(notice?.loadingFirst?.hours).toBe(1);
    expect(notice?.message).toMatch(/^no logs of alb have been ingested for this time range yet: a running backfill is loading it first/);
    const during = await getBackfill(sidecar, backfill.id);
    expect(during.state).not.toBe('done');

    const done = await untilBackfill(sidecar, backfill.id, (b) => b.state === 'done', 'the backfill to finish', 300_000);
    const total = Date.parse(done.finishedAt!) - started;
    const hourSeconds = (searchable - started) / 1000;
    console.log(
      `priority: the queried hour (in the middle of a 30-day backfill) searchable ${hourSeconds.toFixed(1)} s after the backfill started; the whole backfill took ${(total / 1000).toFixed(1)} s (ratio ${(((searchable - started) / total) * 100).toFixed(0)} %)`
    );

    // When the hour was searchable, objects of older and of newer days were still to be ingested.
    const entries = await ledger(sidecar, source);
    const wantedDone = Math.max(
      ...entries.filter((e) => timeFromKey(e.key)! >= hour && timeFromKey(e.key)! < hour + HOUR).map((e) => Date.parse(e.processedAt))
    );
    const later = entries.filter((e) => Date.parse(e.processedAt) > wantedDone).map((e) => timeFromKey(e.key)!);
    // In its order, the backfill would reach the middle of the month about half-way; the hour went first.
    const before = entries.filter((e) => Date.parse(e.processedAt) < wantedDone && Math.abs(timeFromKey(e.key)! - hour) > 3 * HOUR).length;
    console.log(`priority: ${before} of ${entries.length} objects were ingested before the queried hour's`);
    expect(before).toBeLessThan(entries.length / 4);
    expect(later.filter((t) => t < hour - 24 * HOUR).length).toBeGreaterThan(0);
    expect(later.filter((t) => t > hour + 24 * HOUR).length).toBeGreaterThan(0);

    expect(done.pulledForward).toEqual([
      expect.objectContaining({
        from: new Date(hour).toISOString(),
        to: new Date(hour + HOUR).toISOString(),
        reason: 'query',
        detail: 'ALB | count',
        state: 'done',
      }),
    ]);
    expect(done.pulledForward![0].objects).toBeGreaterThan(0);
    expect(done.pulledForward![0].objectsDone).toBe(done.pulledForward![0].objects);
    await expectExact(sidecar, source, done, generated);

    const metrics = await (await fetch(`${sidecar.url}/metrics`, { headers: { authorization: `Bearer ${sidecar.token}` } })).text();
    expect(metrics).toContain('lookback_backfill_priority_requests_total{reason="query",outcome="accepted"} 1');
    expect(metrics).toMatch(/lookback_backfill_priority_objects_total\{hours="wanted"\} [1-9]/);
  }, 420_000);

  it('stores every event once whether the copy loaded first comes before, after or alongside the backfill queue’s; answers the API’s mistakes', async () => {
    const source = 'priority-copies';
    const sidecar = await sidecarFor(source);
    const backfill = await startBackfill(sidecar, { sourceId: source, ...RANGE });
    // Alongside: the newest hours, which the queue starts with too.
    const newest = await priority(sidecar, backfill.id, { from: '2026-10-31T20:00:00Z', to: '2026-11-01T00:00:00Z', note: 'newest' });
    expect(newest.status).toBe(202);
    expect(newest.body).toMatchObject({ reason: 'asked', detail: 'newest', state: 'queued', from: '2026-10-31T20:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    // Before: hours the queue reaches last.
    expect((await priority(sidecar, backfill.id, { from: '2026-10-03T00:00:00Z', to: '2026-10-03T06:00:00Z' })).status).toBe(202);
    // After: hours the queue has loaded by now.
    await eventually(
      async () => ((await getBackfill(sidecar, backfill.id)).counters.processed > 200 ? true : undefined),
      'some of the backfill to be loaded',
      120_000
    );
    expect((await priority(sidecar, backfill.id, { from: '2026-10-31T12:00:00Z', to: '2026-10-31T18:00:00Z' })).status).toBe(202);
    // The same hours again are the same request.
    const again = await priority(sidecar, backfill.id, { from: '2026-10-31T13:00:00Z', to: '2026-10-31T14:00:00Z' });
    expect(again.status).toBe(202);
    expect(again.body.from).toBe('2026-10-31T12:00:00.000Z');

    // The API's mistakes.
    expect((await priority(sidecar, backfill.id, { from: '2026-10-10T00:00:00Z', to: '2026-10-10T01:00:00Z' }, 'wrong-token')).status).toBe(401);
    expect((await priority(sidecar, 'bf-20260101T000000-000000', { from: '2026-10-10T00:00:00Z', to: '2026-10-10T01:00:00Z' })).status).toBe(404);
    const inverted = await priority(sidecar, backfill.id, { from: '2026-10-10T02:00:00Z', to: '2026-10-10T01:00:00Z' });
    expect([inverted.status, inverted.body.fields?.map((f) => f.field)]).toEqual([400, ['to']]);
    const outside = await priority(sidecar, backfill.id, { from: '2026-09-01T00:00:00Z', to: '2026-09-01T05:00:00Z' });
    expect([outside.status, outside.body.message]).toEqual([400, expect.stringMatching(/^to: the hours end before the backfill's range starts/)]);
    const long = await priority(sidecar, backfill.id, { from: '2026-10-10T00:00:00Z', to: '2026-10-12T00:00:00Z' });
    expect([long.status, long.body.message]).toEqual([400, 'to: at most 24 hours are loaded first at a time; got 48']);
    const garbled = await priority(sidecar, backfill.id, { from: 'yesterday-ish', to: '2026-10-12T00:00:00Z', extra: 1 });
    expect(garbled.status).toBe(400);

    const done = await untilBackfill(sidecar, backfill.id, (b) => b.state === 'done', 'the backfill to finish', 300_000);
    await eventually(
      async () => ((await getBackfill(sidecar, backfill.id)).pulledForward!.every((p) => p.state === 'done') ? true : undefined),
      'every request to be done'
    );
    const final = await getBackfill(sidecar, backfill.id);
    expect(final.pulledForward!.map((p) => [p.from, p.state])).toEqual([
      ['2026-10-31T12:00:00.000Z', 'done'],
      ['2026-10-03T00:00:00.000Z', 'done'],
      ['2026-10-31T20:00:00.000Z', 'done'],
    ]);
    await expectExact(sidecar, source, done, generated);
    expect((await priority(sidecar, backfill.id, { from: '2026-10-10T00:00:00Z', to: '2026-10-10T01:00:00Z' })).status).toBe(409);
  }, 420_000);

  it('a sidecar killed while hours load first takes the request up again after its restart, every event once', async () => {
    const source = 'priority-crash';
    const dev = await sourceOn(emulator.endpoint, source, BUCKET);
    const dataDir = tempDir('priority-crash');
    // Killed once the lane has ingested its first message, before it wrote so.
    const first = await startSidecarProcess({
      endpoint: emulator.endpoint,
      sources: [dev.source],
      dataDir,
      ingest: SLOW,
      env: { LOOKBACK_FAILPOINTS: 'while-loading-first' },
    });
    const backfill = await startBackfill(first, { sourceId: source, ...RANGE });
    const asked = await priority(first, backfill.id, { from: '2026-10-12T00:00:00Z', to: '2026-10-12T06:00:00Z', note: 'before the crash' });
    expect(asked.status).toBe(202);
    expect(await first.exited).toBe(137);

    const second = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, ingest: SLOW });
    sidecars.push(second);
    const request = await eventually(
      async () => {
        const [p] = (await getBackfill(second, backfill.id)).pulledForward ?? [];
        return p?.state === 'done' ? p : undefined;
      },
      'the request done after the restart',
      120_000
    );
    expect(request).toMatchObject({ from: '2026-10-12T00:00:00.000Z', detail: 'before the crash' });
    expect(request.objects).toBeGreaterThan(0);
    expect(second.logs.some((l) => l.msg === 'loading hours first' && l.from === '2026-10-12T00:00:00.000Z')).toBe(true);
    const done = await untilBackfill(second, backfill.id, (b) => b.state === 'done', 'the backfill to finish', 300_000);
    await expectExact(second, source, done, generated);
  }, 420_000);

  it('a flood of queries stays within the bounds, the backfill goes on, and a cancel and a new backfill stay exact', async () => {
    const source = 'priority-flood';
    const sidecar = await sidecarFor(source);
    const backfill = await startBackfill(sidecar, { sourceId: source, ...RANGE });
    const hours = Array.from({ length: 200 }, (_, i) => Date.parse('2026-10-02T00:00:00Z') + ((i * 7) % (29 * 24)) * HOUR);
    // The histogram (what Explore draws) pulls its hours forward too, after it answered.
    const histogram = await sidecar.api('/api/histogram', {
      method: 'POST',
      body: JSON.stringify({ query: 'ALB', from: '2026-10-22T07:00:00Z', to: '2026-10-22T08:00:00Z' }),
    });
    expect(histogram.status).toBe(200);
    await eventually(
      async () => ((await getBackfill(sidecar, backfill.id)).pulledForward ?? []).find((p) => p.detail === 'ALB' && p.from === '2026-10-22T07:00:00.000Z'),
      "the histogram's hour to be pulled forward"
    );
    await eventually(async () => ((await getBackfill(sidecar, backfill.id)).counters.processed > 0 ? true : undefined), 'the backfill to start ingesting');
    const processedBefore = (await getBackfill(sidecar, backfill.id)).counters.processed;
    let pendingSeen = 0;
    const statuses: number[] = [];
    for (let i = 0; i < hours.length; i += 10) {
      const answers = await Promise.all(hours.slice(i, i + 10).map((h) => query(sidecar, 'events | count', h, h + HOUR)));
      statuses.push(...answers.map((a) => a.status));
      const now = await getBackfill(sidecar, backfill.id);
      pendingSeen = Math.max(pendingSeen, (now.pulledForward ?? []).filter((p) => p.state === 'queued' || p.state === 'loading').length);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The rest of the backfill went on meanwhile.
    expect((await getBackfill(sidecar, backfill.id)).counters.processed).toBeGreaterThan(processedBefore);
    expect(pendingSeen).toBeGreaterThan(0);
    expect(pendingSeen).toBeLessThanOrEqual(4);
    const metrics = await (await fetch(`${sidecar.url}/metrics`, { headers: { authorization: `Bearer ${sidecar.token}` } })).text();
    const refused = Number(/lookback_backfill_priority_requests_total\{reason="query",outcome="refused"\} (\d+)/.exec(metrics)?.[1]);
    const accepted = Number(/lookback_backfill_priority_requests_total\{reason="query",outcome="accepted"\} (\d+)/.exec(metrics)?.[1]);
    console.log(
      `priority: a flood of 200 queries over different hours: ${accepted} requests accepted, ${refused} refused, at most ${pendingSeen} pending at once`
    );
    expect(refused).toBeGreaterThan(0);
    // The explicit form hears the bound when it is hit.
    const asked = await Promise.all(
      [0, 1, 2, 3, 4].map((d) => priority(sidecar, backfill.id, { from: `2026-10-2${d}T00:00:00Z`, to: `2026-10-2${d}T01:00:00Z` }))
    );
    const tooMany = asked.find((a) => a.status === 429);
    expect(tooMany?.body.message).toMatch(/the bound is 4 pending per backfill/);

    // Cancelled mid-way: what is pending is dropped, nothing is stored twice; a new backfill loads the rest exactly once.
    expect((await sidecar.api(`/api/backfills/${backfill.id}/cancel`, { method: 'POST' })).status).toBe(200);
    await eventually(
      async () => ((await getBackfill(sidecar, backfill.id)).pulledForward!.every((p) => p.state === 'done' || p.state === 'dropped') ? true : undefined),
      'the lane to let go of the cancelled backfill'
    );
    const resumed = await startBackfill(sidecar, { sourceId: source, ...RANGE });
    const done = await untilBackfill(sidecar, resumed.id, (b) => b.state === 'done', 'the new backfill to finish', 300_000);
    const expected = expectedFor(generated, RANGE.from, RANGE.to);
    expect(await eventCount(sidecar, source)).toBe(expected.events);
    expect(done.counters.processed + done.counters.skipped).toBe(expected.objects);
    const entries = await ledger(sidecar, source);
    expect(new Set(entries.map((e) => e.key)).size).toBe(expected.objects);
  }, 420_000);
});
