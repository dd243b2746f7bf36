import { createAwsClients } from '../aws/clients';
import type { IngestConfig } from '../config/types';
import { createLogger } from '../log';
import { openTestStore, type TestStore } from '../query/testing';
import { BackfillTables, backfillVersion } from '../store/backfills';
import { EventsTable } from '../store/events';
import { LedgerTable } from '../store/ledger';
import { BackfillDirectory } from './directory';
import type { BackfillRecord } from './repository';
import { BackfillService } from './service';

// Two sidecars on one store: each has its own directory (cache) and service, as separate processes do.

const DAY = Date.UTC(2024, 4, 1);
const log = createLogger('silent');

function record(id: string, state: BackfillRecord['state']): BackfillRecord {
  return {
    id,
    sourceId: 'trail',
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: [],
    from: DAY,
    to: DAY + 86_400_000,
    marginMinutes: 0,
    order: 'newest',
    roleArn: null,
    externalId: null,
    state,
    error: '',
    createdAt: Date.now(),
    updatedAt: Date.now(),
    finishedAt: null,
  };
}

/** The tables, with a gate that holds this sidecar's next backfill write until released. */
class GatedTables extends BackfillTables {
  private gate?: { reached: () => void; release: Promise<void> };

  /** Resolves when the next write is held; call the returned function to let it through. */
  holdNextWrite(): { held: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (reached = resolve));
    this.gate = { reached, release: new Promise((resolve) => (release = resolve)) };
    return { held, release };
  }

  override async saveBackfill(r: BackfillRecord): Promise<void> {
    const gate = this.gate;
    this.gate = undefined;
    if (gate) {
      gate.reached();
      await gate.release;
    }
    await super.saveBackfill(r);
  }
}

describe('backfill state written by several sidecars', () => {
  let db: TestStore;

  beforeAll(async () => {
    db = await openTestStore(false);
  });
  afterAll(async () => {
    await db.close();
  });

  const service = (tables: BackfillTables) =>
    new BackfillService({
      directory: new BackfillDirectory(tables),
      ledger: new LedgerTable(db.store),
      events: new EventsTable(db.store),
      aws: createAwsClients({ region: 'us-east-1' }),
      log,
      sources: () => [],
      ingest: {} as IngestConfig,
    });

  it('a cancel wins over a change another sidecar decided before it and wrote after it', async () => {
    const a = new GatedTables(db.store);
    const b = new BackfillTables(db.store);
    await b.saveBackfill(record('bf-race-cancel', 'listing'));
    // Sidecar A sees the listing complete and moves to running, but its write is slow to land.
    const { held, release } = a.holdNextWrite();
    const moving = new BackfillDirectory(a).transition('bf-race-cancel', 'listing', { state: 'running' });
    await held;
    // Meanwhile the user cancels through sidecar B.
    const cancelled = await service(b).cancel('bf-race-cancel');
    expect(cancelled?.state).toBe('cancelled');
    release();
    expect(await moving).toBe(true);
    expect((await b.backfill('bf-race-cancel'))?.state).toBe('cancelled');
    expect((await a.backfill('bf-race-cancel'))?.state).toBe('cancelled');
  });

  it('a state never goes back: a sidecar that read an older state cannot undo a later one', async () => {
    const a = new GatedTables(db.store);
    const b = new BackfillTables(db.store);
    await b.saveBackfill(record('bf-race-back', 'listing'));
    const { held, release } = a.holdNextWrite();
    const stale = new BackfillDirectory(a).transition('bf-race-back', 'listing', { state: 'running' });
    await held;
    const other = new BackfillDirectory(b);
    expect(await other.transition('bf-race-back', 'listing', { state: 'running' })).toBe(true);
    expect(await other.transition('bf-race-back', 'running', { state: 'done', finishedAt: Date.now() })).toBe(true);
    release();
    await stale;
    expect((await b.backfill('bf-race-back'))?.state).toBe('done');
  });

  it('within a state the later write wins, also from a sidecar whose clock is an hour behind', async () => {
    const tables = new BackfillTables(db.store);
    await tables.saveBackfill({ ...record('bf-clock', 'done'), error: 'written first' });
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => new Date().getTime() - 3_600_000);
    try {
      await tables.saveBackfill({ ...record('bf-clock', 'done'), error: 'written second, by a clock behind' });
    } finally {
      clock.mockRestore();
    }
    expect((await tables.backfill('bf-clock'))?.error).toBe('written second, by a clock behind');
  });

  it('serves callers asking for the same progress at the same time with one read, and reads again after a change', async () => {
    const tables = new BackfillTables(db.store);
    await tables.saveBackfill(record('bf-polled', 'running'));
    const reads: string[][] = [];
    const counting = Object.assign(Object.create(tables) as BackfillTables, {
      progress: (ids: string[]) => {
        reads.push(ids);
        return tables.progress(ids);
      },
    });
    const polled = service(counting);
    const answers = await Promise.all(Array.from({ length: 6 }, () => polled.get('bf-polled')));
    expect(answers.map((b) => b?.id)).toEqual(Array(6).fill('bf-polled'));
    expect(reads).toEqual([['bf-polled']]);
    // A listing reads only the backfills whose counters it has not read within the second.
    await polled.list();
    expect(reads.slice(1).flat()).not.toContain('bf-polled');
    // A change to the record (here a cancel) makes its counters read again, so state and counters agree.
    const before = reads.length;
    await polled.cancel('bf-polled');
    await polled.get('bf-polled');
    expect(reads.slice(before)).toEqual([['bf-polled']]);
  });

  it('orders versions by state, then by the later of the clock and one past the stored version', () => {
    const now = Date.UTC(2026, 0, 1);
    const stored = backfillVersion('running', 0n, now + 3_600_000);
    expect(backfillVersion('running', stored, now)).toBe(stored + 1n);
    expect(backfillVersion('running', stored, now + 7_200_000)).toBe(BigInt(now + 7_200_000) * 1000n + 10n ** 17n);
    expect(backfillVersion('listing', stored, now + 7_200_000) < stored).toBe(true);
    expect(backfillVersion('cancelled', stored, now) > backfillVersion('failed', stored, now + 7_200_000)).toBe(true);
    // Versions written before ranks existed (microseconds, rank 0) are older than any running one.
    expect(backfillVersion('listing', BigInt(now) * 1000n, now - 1000) > BigInt(now) * 1000n).toBe(true);
  });
});
