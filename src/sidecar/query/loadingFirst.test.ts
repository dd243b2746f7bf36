import type { CoverageNotice } from '../../shared/query';
import { withLoadingFirst } from './loadingFirst';

const none: CoverageNotice = {
  state: 'none',
  message: 'no logs of alb have been ingested for this time range (yet): start a backfill to load them',
  missingHours: ['2026-10-16T12:00:00.000Z'],
};
const partial: CoverageNotice = {
  state: 'partial',
  message: '3 of 24 hours in this time range have no ingested logs (yet): results may be incomplete',
  missingHours: ['2026-10-16T12:00:00.000Z', '2026-10-16T13:00:00.000Z', '2026-10-16T14:00:00.000Z'],
};
const inSeconds = (s: number) => new Date(Date.now() + s * 1000 + 400).toISOString();

describe('the coverage notice with the hours loaded first', () => {
  it('says that the missing hours load first and when, in words', async () => {
    const loaded = await withLoadingFirst(none, async () => ({ hours: 1, expectedAt: inSeconds(8) }), ['alb'], 'ALB | count');
    expect(loaded.message).toBe('no logs of alb have been ingested for this time range yet: a running backfill is loading it first, expected in about 8 s');
    expect(loaded.loadingFirst?.hours).toBe(1);
    const some = await withLoadingFirst(partial, async () => ({ hours: 2, expectedAt: inSeconds(150) }), null, 'events');
    expect(some.message).toBe(
      '3 of 24 hours in this time range have no ingested logs (yet): results may be incomplete; 2 of them are being loaded first, expected in about 3 min'
    );
    const unknownPace = await withLoadingFirst(partial, async () => ({ hours: 3, expectedAt: null }), null, 'events');
    expect(unknownPace.message).toMatch(/; 3 of them are being loaded first$/);
  });

  it('is the plain notice when nothing loads first, when priority fails, or when it does not answer within a quarter second', async () => {
    expect(await withLoadingFirst(none, async () => undefined, null, 'x')).toEqual(none);
    expect(await withLoadingFirst(none, () => Promise.reject(new Error('store down')), null, 'x')).toEqual(none);
    const started = Date.now();
    expect(await withLoadingFirst(none, () => new Promise(() => undefined), null, 'x')).toEqual(none);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await withLoadingFirst(none, undefined, null, 'x')).toEqual(none);
  });
});
