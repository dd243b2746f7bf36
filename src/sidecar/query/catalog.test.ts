import type { Store } from '../store/store';
import { FieldCatalog } from './catalog';
import { UnknownFieldError } from './errors';
import { compileChecked } from './prepare';
import { fixtureRows, openTestStore, type TestStore } from './testing';

const RANGE = { from: Date.parse('2024-03-01T00:00:00Z'), to: Date.parse('2024-03-08T00:00:00Z'), maxRows: 10 };

/** The real store, counting the loads of the key list that reach it. */
function counting(store: Store): { store: Store; queries: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as Store;
  wrapped.query = (...args: Parameters<Store['query']>) => {
    n += args[0].includes('mapKeys') ? 1 : 0;
    return store.query(...args);
  };
  return { store: wrapped as Store, queries: () => n };
}

describe('field catalog', () => {
  let db: TestStore;
  let now = 0;

  beforeAll(async () => {
    db = await openTestStore();
  });
  afterAll(() => db.close());

  it('knows the keys of each log type', async () => {
    const snapshot = await new FieldCatalog(db.store).snapshot();
    expect(snapshot.keysFor('alb').has('elb_status_code')).toBe(true);
    expect(snapshot.keysFor('cloudtrail').has('elb_status_code')).toBe(false);
    expect(snapshot.keysFor(null).has('srcaddr')).toBe(true);
    expect(snapshot.keysFor('guardduty').size).toBe(0);
  });

  it('loads once for concurrent callers and again only after the TTL', async () => {
    const { store, queries } = counting(db.store);
    const catalog = new FieldCatalog(store, { ttlMs: 1000, now: () => now });
    await Promise.all([catalog.snapshot(), catalog.snapshot(), catalog.snapshot()]);
    expect(queries()).toBe(1);
    now += 999;
    await catalog.snapshot();
    expect(queries()).toBe(1);
    now += 1;
    await catalog.snapshot();
    expect(queries()).toBe(2);
  });

  it('reloads at once when a query names a field it has not seen and events were added since; else at most every minReloadMs', async () => {
    const { store, queries } = counting(db.store);
    const catalog = new FieldCatalog(store, { ttlMs: 60_000, minReloadMs: 5_000, now: () => now });
    await catalog.snapshot();
    const unknown = 'CloudTrail | where noSuchField == "yes" | count';
    await expect(compileChecked(catalog, unknown, RANGE)).rejects.toBeInstanceOf(UnknownFieldError);
    expect(queries()).toBe(1);

    const row = { ...fixtureRows()[0], fields: { brandNewField: 'yes' }, record_index: 999 };
    await db.store.insertEvents([row], 'catalog-test');
    const query = 'CloudTrail | where brandNewField == "yes" | count';
    await expect(compileChecked(catalog, query, RANGE)).resolves.toMatchObject({ sql: expect.stringContaining('fields[') });
    expect(queries()).toBe(2);

    await expect(compileChecked(catalog, unknown, RANGE)).rejects.toBeInstanceOf(UnknownFieldError);
    expect(queries()).toBe(2);
    now += 5_000;
    await expect(compileChecked(catalog, unknown, RANGE)).rejects.toBeInstanceOf(UnknownFieldError);
    expect(queries()).toBe(3);
  });
});
