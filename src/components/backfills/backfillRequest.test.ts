import { dateTime, type TimeRange } from '@grafana/data';
import { backfillRequest, draftErrors, type BackfillDraft } from './backfillRequest';

function draft(from: string, to: string): BackfillDraft {
  const range = { from: dateTime(), to: dateTime(), raw: { from, to } } as TimeRange;
  return {
    sourceId: 'trail',
    bucket: 'trail-logs',
    region: '',
    prefixes: [],
    range,
    order: 'newest',
    credentials: 'source',
    roleArn: '',
    externalId: '',
    marginMinutes: '',
  } as BackfillDraft;
}

describe('backfillRequest', () => {
  it('resolves both ends of a relative range against one instant, however slow the machine', () => {
    // Each read of the clock a millisecond later, as on a busy machine.
    let clock = Date.parse('2026-11-27T10:00:00.000Z');
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock++);
    try {
      const request = backfillRequest(draft('now-7d', 'now'));
      expect(Date.parse(String(request.to)) - Date.parse(String(request.from))).toBe(7 * 86_400_000);
    } finally {
      now.mockRestore();
    }
  });

  it('keeps absolute times and checks the range', () => {
    expect(backfillRequest(draft('2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'))).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });
    expect(draftErrors(draft('now', 'now-1d')).range).toBe('must start before it ends');
    expect(draftErrors(draft('yesterday-ish', 'now')).range).toBe('is not a valid time range');
  });
});
