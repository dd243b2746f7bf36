import type { Backfill } from '../../src/shared/backfill';
import type { Bucket } from '../../src/sidecar/generate/bucket';
import { dayRange, eventCount, expectedFor, generatedSource, sourceOn, untilBackfill } from './backfillHarness';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess } from './harness/processes';

const BUCKET = 'crash-logs';

describe('kill -9 during a backfill, then a restart', () => {
  let emulator: EmulatorProcess;
  let generated: Bucket;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    generated = (await generatedSource(emulator.endpoint, 'crash-setup', BUCKET)).generated;
  }, 60_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  it.each([
    // The 5th listed page is sent but its unit never deleted: it comes back, and the next sidecar lists that page again.
    ['while listing', 'while-listing@5', '2026-10-05', 'listing'],
    // The 30th backfill object is in the store and the ledger, its message not yet deleted: it comes back after the visibility timeout.
    ['while consuming', 'while-consuming@30', '2026-10-20', 'consuming'],
  ])(
    '%s: the backfill completes with every event stored exactly once',
    async (_when, failpoint, firstDay, stateAtKill) => {
      const id = `crash-${failpoint.split('@')[0].replace('while-', '')}`;
      const dev = await sourceOn(emulator.endpoint, id, BUCKET);
      const range = dayRange(firstDay, 4);
      const expected = expectedFor(generated, range.from, range.to);
      const dataDir = tempDir('backfill-crash');
      const first = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, env: { LOOKBACK_FAILPOINTS: failpoint } });
      // The process may die before it answers.
      await first.api('/api/backfills', { method: 'POST', body: JSON.stringify({ sourceId: id, ...range, marginMinutes: 0 }) }).catch(() => undefined);
      expect(await first.exited).toBe(137);

      const second = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir });
      try {
        const [started] = (await second.api<{ backfills: Backfill[] }>('/api/backfills')).body.backfills;
        if (stateAtKill === 'listing') {
          // Killed after sending a page's notifications and before its unit was done: the unit comes back after its
          // visibility timeout, and the second sidecar lists that page again.
          const again = await eventually(
            async () => second.logs.find((l) => l.msg === 'listing a page again: its unit came back'),
            'the listing unit listed again',
            60_000
          );
          expect(again).toMatchObject({ backfill: started.id, page: 0 });
        }
        const done = await untilBackfill(second, started.id, (b) => b.state === 'done', 'the backfill done after the restart', 120_000);
        expect(done.counters).toMatchObject({
          listed: expected.objects,
          enqueued: expected.objects,
          processed: expected.objects,
          failed: 0,
          events: expected.events,
        });
        expect(await eventCount(second, id)).toBe(expected.events);
        for (const [type, events] of Object.entries(expected.byType)) {
          const { body } = await second.api<{ count: number }>(`/api/events/count?source=${id}&logType=${type}`);
          expect([type, body.count]).toEqual([type, events]);
        }
      } finally {
        await second.stop();
        removeDir(dataDir);
      }
    },
    150_000
  );
});
