import { randomUUID } from 'node:crypto';
import type { LedgerEntry } from '../../shared/api';
import type { EventRow, ObjectVersion, Store } from '../store/store';
import { GroupCommit } from './groupCommit';

const EVENT_BYTES_PER_WRITE = 48 * 1024 * 1024;
const LEDGER_ROWS_PER_WRITE = 1000;
/** Short enough not to be noticed on a live object, long enough for concurrent objects to join. */
const LINGER_MS = 50;

export type LedgerWrite = LedgerEntry & { queue: string };

interface Lookup {
  object: ObjectVersion;
  found?: LedgerEntry;
}

/** Approximate memory and insert size of a row: the raw record dominates, twice over (raw and fields). */
export function eventRowBytes(row: EventRow): number {
  return row.raw.length * 2 + 256;
}

/**
 * Where ingest reads and writes the store: ledger lookups, events and ledger rows of all objects
 * in flight, each batched, and one claim per object so two messages naming it are not ingested
 * side by side.
 */
export class IngestSink {
  readonly events: GroupCommit<EventRow>;
  readonly ledger: GroupCommit<LedgerWrite>;
  private readonly lookups: GroupCommit<Lookup>;
  private readonly claims = new Map<string, Promise<unknown>>();

  constructor(
    readonly store: Store,
    readonly rowsPerWrite: number
  ) {
    // Each write gets its own token: a block with the same rows as an earlier one is still written.
    this.events = new GroupCommit((rows) => store.insertEvents(rows, randomUUID()), {
      maxItems: rowsPerWrite,
      maxBytes: EVENT_BYTES_PER_WRITE,
      sizeOf: eventRowBytes,
      lingerMs: LINGER_MS,
      maxQueuedItems: rowsPerWrite * 2,
    });
    this.ledger = new GroupCommit((entries) => store.recordObjects(entries), {
      maxItems: LEDGER_ROWS_PER_WRITE,
      maxBytes: EVENT_BYTES_PER_WRITE,
      sizeOf: (entry) => 512 + entry.malformedSamples.reduce((sum, s) => sum + s.sample.length + s.reason.length, 0),
      lingerMs: LINGER_MS,
      maxQueuedItems: LEDGER_ROWS_PER_WRITE * 10,
    });
    this.lookups = new GroupCommit(
      async (lookups) => {
        const found = new Map((await store.findObjects(lookups.map((l) => l.object))).map((e) => [versionKey(e), e]));
        lookups.forEach((l) => (l.found = found.get(versionKey(l.object))));
      },
      { maxItems: LEDGER_ROWS_PER_WRITE, maxBytes: Number.MAX_SAFE_INTEGER, sizeOf: () => 0, lingerMs: 0, maxQueuedItems: Number.MAX_SAFE_INTEGER }
    );
  }

  /** The ledger entry of this object version, if it was ingested. */
  async ingested(object: ObjectVersion): Promise<LedgerEntry | undefined> {
    const lookup: Lookup = { object };
    await this.lookups.add([lookup]);
    return lookup.found;
  }

  /** Runs `work` once no other work holds `name`. */
  async exclusive<R>(name: string, work: () => Promise<R>): Promise<R> {
    for (let held = this.claims.get(name); held; held = this.claims.get(name)) {
      await held.catch(() => undefined);
    }
    const running = work();
    this.claims.set(name, running);
    try {
      return await running;
    } finally {
      this.claims.delete(name);
    }
  }
}

function versionKey(o: ObjectVersion): string {
  return JSON.stringify([o.bucket, o.key, o.etag]);
}
