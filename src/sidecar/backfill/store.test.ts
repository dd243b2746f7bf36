import type { LedgerEntry } from '../../shared/api';
import { createAwsClients } from '../aws/clients';
import { ledgerEntry, openTestStore, type TestStore } from '../query/testing';
import { coverage } from './coverage';
import { toBackfill } from './progress';
import { BackfillTables } from '../store/backfills';
import { EventsTable } from '../store/events';
import { LedgerTable } from '../store/ledger';
import { BackfillDirectory } from './directory';
import type { BackfillRecord } from './repository';
import { BackfillTracker } from './tracker';

const HOUR = 3_600_000;
const DAY1 = Date.UTC(2024, 4, 1);
const DAY2 = Date.UTC(2024, 4, 2);

function trailKey(day: string, hhmm: string): string {
  const [y, m, d] = day.split('-');
  return `AWSLogs/111122223333/CloudTrail/us-east-1/${y}/${m}/${d}/111122223333_CloudTrail_us-east-1_${y}${m}${d}T${hhmm}Z_x.json.gz`;
}

function record(id: string, state: BackfillRecord['state'], from = DAY1, to = DAY2 + 24 * HOUR): BackfillRecord {
  return {
    id,
    sourceId: 'trail',
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: [],
    from,
    to,
    marginMinutes: 0,
    order: 'newest',
    roleArn: null,
    externalId: null,
    state,
    error: '',
    createdAt: DAY2 + 30 * 24 * HOUR,
    updatedAt: DAY2 + 30 * 24 * HOUR,
    finishedAt: null,
  };
}

function ledger(key: string, status: LedgerEntry['status'], minTime: string | null, maxTime: string | null, backfillId = ''): LedgerEntry & { queue: string } {
  return ledgerEntry(key, { status, minTime, maxTime, backfillId });
}

describe('backfill state in the store', () => {
  let db: TestStore;
  let repo: BackfillTables;

  beforeAll(async () => {
    db = await openTestStore(false);
    repo = new BackfillTables(db.store);
  });
  afterAll(async () => {
    await db.close();
  });

  it('counts handled objects per backfill, an object ingested before as already ingested (not processed, its events not counted), and never a cancel over an ingest', async () => {
    const tracker = new BackfillTracker(new BackfillDirectory(repo), createAwsClients({ region: 'us-east-1' }));
    const entry = (key: string, backfillId: string, status: LedgerEntry['status'] = 'ok'): LedgerEntry => ({
      ...ledger(key, status, '2024-05-01T01:00:00.000Z', '2024-05-01T01:30:00.000Z', backfillId),
    });
    await tracker.handled('bf-b', { entry: entry('k1', 'bf-b'), duplicate: false });
    await tracker.handled('bf-b', { entry: entry('k2', ''), duplicate: true });
    await tracker.handled('bf-b', { entry: entry('k3', 'bf-b', 'failed'), duplicate: false });
    // Handled twice (a redelivery): counted once.
    await tracker.handled('bf-b', { entry: entry('k1', 'bf-b'), duplicate: true });
    const ref = (key: string) => ({ bucket: 'logs', key, size: 100, etag: `etag-${key}`, region: 'us-east-1', eventTime: '' });
    await tracker.cancelled('bf-b', [ref('k1'), ref('k4')]);
    await repo.saveBackfill(record('bf-b', 'cancelled'));

    const p = (await repo.progress(['bf-b'])).get('bf-b')!;
    expect(p).toMatchObject({ processed: 1, failed: 1, skipped: 1, alreadyIngested: 1, cancelled: 1, events: 10, bytesProcessed: 100 });
    const backfill = toBackfill((await repo.backfill('bf-b'))!, p, Date.now());
    expect(backfill.counters).toMatchObject({ processed: 1, failed: 1, skipped: 1, alreadyIngested: 1, cancelled: 1, events: 10 });
    expect(backfill.coverage).toEqual({ from: '2024-05-01T01:00:00.000Z', to: '2024-05-01T01:30:00.000Z' });
    expect(backfill.firstEventAfterMs).not.toBeNull();
  });

  it('tells full, partial and unloaded hours apart', async () => {
    await db.store.recordObjects([ledger('c1', 'ok', '2024-06-01T00:10:00.000Z', '2024-06-01T01:20:00.000Z')]);
    await db.store.recordObjects([ledger('c2', 'ok', '2024-06-01T02:00:00.000Z', '2024-06-01T02:30:00.000Z', 'bf-c')]);
    // Still listed and not handled: hour 2 is partly loaded, hour 3 not yet.
    await repo.recordListed('bf-c', [
      { key: trailKey('2024-06-01', '0215'), etag: 'x', size: 1, keyTime: Date.UTC(2024, 5, 1, 2, 15) },
      { key: trailKey('2024-06-01', '0330'), etag: 'y', size: 1, keyTime: Date.UTC(2024, 5, 1, 3, 30) },
    ]);
    const active = record('bf-c', 'running', Date.UTC(2024, 5, 1), Date.UTC(2024, 5, 1, 6));
    // A finished backfill over hours 4 and 5, which held no events: known loaded.
    const done = record('bf-d', 'done', Date.UTC(2024, 5, 1, 4), Date.UTC(2024, 5, 1, 6));
    const answer = await coverage(
      { backfills: repo, ledger: new LedgerTable(db.store), events: new EventsTable(db.store) },
      { sourceId: 'trail', from: Date.UTC(2024, 5, 1), to: Date.UTC(2024, 5, 1, 7), active: [active], done: [done] }
    );
    expect(answer.hours.map((h) => [h.hour.slice(11, 13), h.state, h.objects])).toEqual([
      ['00', 'full', 1],
      ['01', 'full', 1],
      ['02', 'partial', 1],
      ['03', 'none', 0],
      ['04', 'full', 0],
      ['05', 'full', 0],
      ['06', 'none', 0],
    ]);
  });
});
