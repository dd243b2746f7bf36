import { runningBackfills } from '../../__fixtures__/sidecar';
import { defaultPriorityRange, priorityRangeError, priorityRequest } from './priorityRequest';

const [running] = runningBackfills.backfills;
const iso = (range: ReturnType<typeof defaultPriorityRange>) => [range.from.toISOString(), range.to.toISOString()];

describe('hours to load first', () => {
  it('defaults to the hour the backfill would load last', () => {
    expect(iso(defaultPriorityRange({ ...running, order: 'oldest', to: '2026-11-27T08:30:00.000Z' }))).toEqual([
      '2026-11-27T08:00:00.000Z',
      '2026-11-27T09:00:00.000Z',
    ]);
    expect(iso(defaultPriorityRange({ ...running, order: 'newest', from: '2026-11-25T09:15:00.000Z' }))).toEqual([
      '2026-11-25T09:00:00.000Z',
      '2026-11-25T10:00:00.000Z',
    ]);
    expect(iso(defaultPriorityRange({ ...running, from: null, to: null }, Date.parse('2026-11-27T10:20:00Z')))).toEqual([
      '2026-11-27T09:00:00.000Z',
      '2026-11-27T10:00:00.000Z',
    ]);
  });

  it('checks the range, and sends the note only when there is one', () => {
    const range = defaultPriorityRange(running);
    expect(priorityRangeError({ range, note: '' })).toBeUndefined();
    expect(priorityRangeError({ range: { ...range, raw: { from: range.to, to: range.from } }, note: '' })).toBe('must start before it ends');
    expect(priorityRangeError({ range: { ...range, raw: { from: 'yesterday', to: 'now' } }, note: '' })).toBe('is not a valid time range');
    expect(priorityRequest({ range, note: '  ' })).toEqual({ from: '2026-11-27T08:00:00.000Z', to: '2026-11-27T09:00:00.000Z' });
    expect(priorityRequest({ range, note: ' INC-1 ' })).toMatchObject({ note: 'INC-1' });
  });
});
