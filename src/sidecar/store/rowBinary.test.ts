import { openTestStore, type TestStore } from '../query/testing';
import { EVENT_COLUMNS } from './eventColumns';
import { timeMs } from './rowBinary';

describe('events in RowBinary', () => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore(false);
  });
  afterAll(() => db?.close());

  it('are written column for column as the events table declares them', async () => {
    const { rows } = await db.store.query<{ name: string; type: string }>(
      'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {t:String} ORDER BY position',
      {
        t: 'events',
      }
    );
    expect(EVENT_COLUMNS.map(({ name, type }) => ({ name, type }))).toEqual(rows);
  });

  it('read times as the rows carry them, and refuse what is no time', () => {
    expect(timeMs('2024-03-01 08:15:00.123')).toBe(Date.UTC(2024, 2, 1, 8, 15, 0, 123));
    expect(timeMs('2024-03-01 08:15:00.5')).toBe(Date.UTC(2024, 2, 1, 8, 15, 0, 500));
    expect(timeMs('2024-03-01 08:15:00')).toBe(Date.UTC(2024, 2, 1, 8, 15));
    expect(timeMs('2024-03-01T08:15:00.250Z')).toBe(Date.UTC(2024, 2, 1, 8, 15, 0, 250));
    expect(() => timeMs('yesterday')).toThrow('not a time: "yesterday"');
  });
});
