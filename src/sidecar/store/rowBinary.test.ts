import { fixtureRows, openTestStore, type TestStore } from '../query/testing';
import { EVENT_COLUMNS, type EventRow } from './eventColumns';
import { EventRowEncoder, insertBody, timeMs } from './rowBinary';
import { decodeEvents } from './rowBinaryDecode';

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

describe('the event row encoder', () => {
  const [base] = fixtureRows();
  const rows = Array.from({ length: 300 }, (_, i): EventRow => ({ ...base, record_index: i, raw: 'x'.repeat((i * 997) % 20_000), fields: { i: String(i) } }));

  it('writes each row whole in one chunk, and the rows read back as they were', () => {
    const encoder = new EventRowEncoder();
    const encoded = rows.map((row) => encoder.encode(row));
    expect(decodeEvents(encoded)).toEqual(rows);
    expect(encoded.every((row, i) => decodeEvents([row]).length === 1 && decodeEvents([row])[0].record_index === i)).toBe(true);
  });

  it('makes one insert body of rows that lie next to each other, without copying them', () => {
    const encoder = new EventRowEncoder();
    const encoded = rows.map((row) => encoder.encode(row));
    const body = insertBody(encoded);
    expect(body.length).toBeLessThan(15);
    expect(new Set(body.map((chunk) => chunk.buffer)).size).toBe(body.length);
    expect(body.every((chunk) => encoded.some((row) => row.buffer === chunk.buffer))).toBe(true);
    expect(decodeEvents(body)).toEqual(rows);
    expect(decodeEvents(insertBody([encoded[5], encoded[3], encoded[4]])).map((r) => r.record_index)).toEqual([5, 3, 4]);
  });
});
