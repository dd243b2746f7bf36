import type { LedgerEntry } from '../../shared/api';
import { versionKey, type ObjectVersion, type Store } from '../store/store';
import { GroupCommit } from '../concurrency/groupCommit';

const LEDGER_ROWS_PER_WRITE = 1000;
/** Short enough not to be noticed on a live object, long enough for concurrent objects to join. */
const LINGER_MS = 50;

export type LedgerWrite = LedgerEntry & { queue: string };

interface Lookup {
  object: ObjectVersion;
  found?: LedgerEntry;
}

/**
 * The ledger as ingest uses it: the lookups and the rows of all objects in flight, batched.
 * Every statement has a cost of its own in chDB (parsing, planning, and for an insert a new part
 * that merges rewrite later), so one lookup query and one ledger insert for all of them leave the
 * store more time for their events.
 */
export class BatchedLedger {
  private readonly rows: GroupCommit<LedgerWrite>;
  private readonly lookups: GroupCommit<Lookup>;

  constructor(store: Store) {
    this.rows = new GroupCommit((entries) => store.recordObjects(entries), { maxItems: LEDGER_ROWS_PER_WRITE, lingerMs: LINGER_MS });
    this.lookups = new GroupCommit(
      async (lookups) => {
        const found = new Map((await store.findObjects(lookups.map((l) => l.object))).map((e) => [versionKey(e), e]));
        lookups.forEach((l) => (l.found = found.get(versionKey(l.object))));
      },
      { maxItems: LEDGER_ROWS_PER_WRITE, lingerMs: 0 }
    );
  }

  /**
   * Resolves once the entries are stored, all in the same insert: the objects of one block of
   * events become final together or not at all, so a later attempt forms the same block again.
   */
  record(entries: LedgerWrite[]): Promise<void> {
    return this.rows.add(entries);
  }

  /** The ledger entry of this object version, if it was ingested. */
  async ingested(object: ObjectVersion): Promise<LedgerEntry | undefined> {
    const lookup: Lookup = { object };
    await this.lookups.add([lookup]);
    return lookup.found;
  }
}
