import type { Source } from '../../shared/api';
import type { CoverageNotice } from '../../shared/query';
import { BackfillDirectory } from './directory';
import { PriorityBoundError, PriorityRequestError, PriorityService, PriorityStateError } from './priority';
import type { PriorityRecord, PriorityRepository } from './priorityRecord';
import { PriorityStats } from './priorityStats';
import type { BackfillRecord, BackfillRepository } from './repository';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 9, 2);

/** For this test only: the requests table and the backfill records in memory. */
function service(state: BackfillRecord['state'] = 'running') {
  const rows = new Map<string, PriorityRecord>();
  const repo: PriorityRepository = {
    savePriority: async (r) => void rows.set(r.id, { ...r }),
    priorities: async (ids) => [...rows.values()].filter((r) => ids.includes(r.backfillId)).sort((a, b) => b.requestedAt - a.requestedAt),
    pendingPriorities: async () => [...rows.values()].filter((r) => r.state === 'queued' || r.state === 'loading'),
  };
  const record: BackfillRecord = {
    id: 'bf-1',
    sourceId: 'web',
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: [],
    from: DAY0,
    to: DAY0 + 30 * 24 * HOUR,
    marginMinutes: 10,
    order: 'newest',
    roleArn: null,
    externalId: null,
    state,
    error: '',
    createdAt: 0,
    updatedAt: 0,
    finishedAt: null,
  };
  const backfills = {
    backfill: async (id: string) => (id === record.id ? record : undefined),
    backfills: async () => (['listing', 'running'].includes(record.state) ? [record] : []),
  } as unknown as BackfillRepository;
  const sources = [{ id: 'web', logType: 'alb' } as Source];
  const stats = new PriorityStats();
  let woken = 0;
  const priority = new PriorityService({
    repo,
    directory: new BackfillDirectory(backfills),
    sources: () => sources,
    throughput: async () => ({ objectsPerSecond: 10, bytesPerSecond: 1e7 }),
    wake: () => woken++,
    stats,
  });
  return { priority, rows, stats, woken: () => woken };
}

const notice = (hours: number[]): CoverageNotice => ({ state: 'none', message: 'no logs', missingHours: hours.map((h) => new Date(h).toISOString()) });
const hour = (day: number, h: number) => DAY0 + day * 24 * HOUR + h * HOUR;

describe('query-driven priority', () => {
  it('turns the missing hours of a search into one request, the same hours asked again into none', async () => {
    const { priority, rows, stats, woken } = service();
    const missing = [hour(14, 11), hour(14, 12), hour(14, 13)];
    const loading = await priority.fromQuery(notice(missing), ['alb'], 'ALB\n| count');
    expect(loading?.hours).toBe(3);
    expect(Date.parse(loading!.expectedAt!)).toBeGreaterThan(Date.now());
    expect([...rows.values()]).toEqual([
      expect.objectContaining({ from: hour(14, 11), to: hour(14, 14), reason: 'query', detail: 'ALB | count', state: 'queued' }),
    ]);
    expect(woken()).toBe(1);
    expect((await priority.fromQuery(notice([hour(14, 12)]), ['alb'], 'again'))?.hours).toBe(1);
    expect(rows.size).toBe(1);
    expect(stats.requestCounts().find((c) => c.reason === 'query' && c.outcome === 'accepted')?.count).toBe(1);
  });

  it('leaves searches of other log types, of more than a day and outside the backfill to its order', async () => {
    const { priority, rows } = service();
    expect(await priority.fromQuery(notice([hour(3, 1)]), ['cloudtrail'], 'CloudTrail')).toBeUndefined();
    const week = Array.from({ length: 48 }, (_, i) => hour(3, i));
    expect(await priority.fromQuery(notice(week), ['alb'], 'ALB')).toBeUndefined();
    expect(await priority.fromQuery(notice([DAY0 - 5 * HOUR]), null, 'events')).toBeUndefined();
    expect(rows.size).toBe(0);
  });

  it('refuses more than four pending requests of a backfill, a query silently, someone who asks with the bound named', async () => {
    const { priority, rows, stats } = service();
    for (let day = 1; day <= 5; day++) {
      await priority.fromQuery(notice([hour(day, 5)]), ['alb'], `day ${day}`);
    }
    expect(rows.size).toBe(4);
    expect(stats.requestCounts().find((c) => c.reason === 'query' && c.outcome === 'refused')?.count).toBe(1);
    await expect(priority.ask('bf-1', { from: new Date(hour(9, 0)).toISOString(), to: new Date(hour(9, 2)).toISOString() })).rejects.toThrow(
      new PriorityBoundError('backfill bf-1 already has 4 requests to load hours first (the bound is 4 pending per backfill): try again once one is done')
    );
  });

  it('checks an explicit request: whole hours, a day at most, within the backfill, of a running backfill', async () => {
    const { priority } = service();
    const asked = await priority.ask('bf-1', { from: hour(9, 0) + 10 * 60_000, to: hour(9, 1) + 5 * 60_000, note: 'the alert' });
    expect(asked).toMatchObject({ from: new Date(hour(9, 0)).toISOString(), to: new Date(hour(9, 2)).toISOString(), reason: 'asked', detail: 'the alert' });
    const fields = async (body: unknown) => (await priority.ask('bf-1', body).catch((err: PriorityRequestError) => err)) as PriorityRequestError;
    expect((await fields({ from: 'soon' })).fields.map((f) => f.field)).toEqual(['from', 'to']);
    expect((await fields({ from: hour(9, 0), to: hour(11, 0) })).message).toBe('to: at most 24 hours are loaded first at a time; got 48');
    expect((await fields({ from: DAY0 - 5 * HOUR, to: DAY0 - HOUR })).message).toMatch(/^to: the hours end before the backfill's range starts/);
    await expect(service('done').priority.ask('bf-1', { from: hour(9, 0), to: hour(9, 1) })).rejects.toThrow(PriorityStateError);
  });
});
