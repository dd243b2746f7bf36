import { ledgerEntry, openTestStore, type TestStore } from '../query/testing';
import { LedgerTable } from './ledger';

const HOUR = 3_600_000;
const at = (h: number, m = 0) => Date.UTC(2024, 5, 1, h, m);
const hoursOf = (map: Map<number, number>) => [...map.keys()].sort((a, b) => a - b).map((h) => new Date(h * HOUR).toISOString().slice(11, 13));

describe('the ledger by the hour', () => {
  let db: TestStore;
  let ledger: LedgerTable;

  beforeAll(async () => {
    db = await openTestStore(false);
    ledger = new LedgerTable(db.store);
    await db.store.recordObjects([
      // Events from 09:10 up to exactly 11:00.
      ledgerEntry('to-eleven', { minTime: new Date(at(9, 10)).toISOString(), maxTime: new Date(at(11)).toISOString() }),
      ledgerEntry('ten-thirty', { minTime: new Date(at(10, 30)).toISOString(), maxTime: new Date(at(10, 40)).toISOString(), logType: 'vpcflow' }),
      ledgerEntry('broken', { status: 'failed', minTime: new Date(at(9)).toISOString(), maxTime: new Date(at(9, 5)).toISOString() }),
    ]);
  });
  afterAll(() => db.close());

  it('counts the objects that cover each hour of a range, the range ending before `to`', async () => {
    // [09:00, 11:00): the object whose last event is at 11:00 does not cover the hour that starts there.
    const covered = await ledger.objectsByHour({ sourceId: 'trail' }, at(9), at(11));
    expect(hoursOf(covered)).toEqual(['09', '10']);
    expect(covered.get(at(10) / HOUR)).toBe(2);
    expect(hoursOf(await ledger.objectsByHour({ sourceId: 'trail' }, at(9), at(12)))).toEqual(['09', '10', '11']);
  });

  it('takes only the asked source and log types, and only objects read whole', async () => {
    expect(hoursOf(await ledger.objectsByHour({ logTypes: ['vpcflow'] }, at(0), at(23)))).toEqual(['10']);
    expect((await ledger.objectsByHour({ sourceId: 'flows' }, at(0), at(23))).size).toBe(0);
    expect(await ledger.failedObjects('trail')).toEqual([{ key: 'broken', minTime: at(9) }]);
  });
});
