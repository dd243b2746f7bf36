import type { LedgerEntry } from '../../shared/api';
import { ledgerEntry, openTestStore, type TestStore } from '../query/testing';

function entry(bucket: string, key: string, etag: string, events: number): LedgerEntry & { queue: string } {
  return ledgerEntry(key, { bucket, etag, events });
}

describe('the chDB store', () => {
  let db: TestStore;

  beforeAll(async () => {
    db = await openTestStore(false);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('finds exactly the asked object versions in the ledger, many in one query', async () => {
    await db.store.recordObjects([entry('logs', 'a.json', 'e1', 3), entry('logs', 'b.json', 'e2', 4), entry('other', 'a.json', 'e2', 5)]);
    const found = await db.store.findObjects([
      { bucket: 'logs', key: 'a.json', etag: 'e1' },
      // Bucket, key and ETag each occur in the ledger, but not together.
      { bucket: 'logs', key: 'a.json', etag: 'e2' },
      { bucket: 'other', key: 'b.json', etag: 'e2' },
      { bucket: 'other', key: 'a.json', etag: 'e2' },
    ]);
    expect(found.map((e) => [e.bucket, e.key, e.etag, e.events]).sort()).toEqual([
      ['logs', 'a.json', 'e1', 3],
      ['other', 'a.json', 'e2', 5],
    ]);
    expect(await db.store.findObjects([])).toEqual([]);
  });
});
