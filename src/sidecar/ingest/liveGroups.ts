import { randomUUID } from 'node:crypto';
import type { Source } from '../../shared/api';
import { GroupCommit } from '../concurrency/groupCommit';
import { failpoint } from '../failpoints';
import type { LiveGroupTable } from '../store/liveGroups';
import { versionKey, type ObjectVersion } from '../store/store';
import type { BatchedLedger } from './batchedLedger';
import type { ObjectRef } from './notifications';
import { ObjectRows } from './objectRows';
import type { ObjectRead, RowSink } from './readObject';
import type { UnitResult } from './unit';

/** Objects in one group at most: live messages in flight, beyond the objects being read, wait in groups. */
export const LIVE_GROUP_OBJECTS = 32;
/** The listed size of an object that joins a group, at most; a larger one makes blocks of its own anyway. */
export const LIVE_GROUP_OBJECT_BYTES = 256 * 1024;
/** The rows of an object waiting in a group, at most (encoded); one that decodes to more goes alone, streamed. */
const LIVE_GROUP_OBJECT_WEIGHT = 4 * 1024 * 1024;
/** Objects looked up in one query: S3 keys are up to 1 KiB, so the parameters stay within 64 KiB, as the ledger's do. */
const LOOKUPS_PER_QUERY = 50;

export interface LiveGroupsOptions {
  table: LiveGroupTable;
  ledger: BatchedLedger;
  /**
   * How long the first object after a quiet spell waits for others to share its insert; 0: none
   * does, but an object recorded in a group (before this was set to 0) is still inserted with it.
   */
  lingerMs: number;
  /** Reads one object, its rows into `sink`. */
  read(source: Source, ref: ObjectRef, sink: RowSink, signal: AbortSignal): Promise<ObjectRead>;
  /** Ingests these objects as one unit (unit.ts), taking the rows of those in `preread` from there. */
  ingest(source: Source, objects: ObjectRef[], preread: ReadonlyMap<string, ObjectRows>, signal: AbortSignal): Promise<UnitResult>;
}

interface Read {
  source: Source;
  ref: ObjectRef;
  rows: ObjectRows;
}

interface Lookup {
  object: ObjectVersion;
  found?: { sourceId: string; groupId: string };
}

const NOTHING_READ: ReadonlyMap<string, ObjectRows> = new Map();
/** A group's insert outlives the message that started it: only its reads (none) would stop. */
const NEVER = new AbortController().signal;

/**
 * Live objects that arrive together share one insert of events instead of making a part each: each
 * is read whole, then joins the group of objects of its source waiting to be inserted; one group is
 * inserted at a time and whatever arrives meanwhile forms the next (concurrency/groupCommit.ts).
 *
 * A group is ingested as one unit (unit.ts), like a packed backfill message: its blocks' tokens
 * derive from its objects, in order. So that a redelivered object joins the same group again, the
 * group is recorded (live_groups) before its insert, and an object found there is ingested with its
 * group: every object of it read again from S3, the same blocks formed, the repeated inserts dropped
 * by their tokens, the objects the ledger has skipped.
 *
 * An object named on another source's queue too is left to the source whose group holds it, which
 * reads the group's objects with its own rights.
 *
 * This needs one process to own the store, as the embedded one does: an object is in one attempt
 * at a time in the process, so it never joins two groups. Sidecars sharing a server store could
 * each put the same object in a group of their own, so there each live object keeps its insert.
 */
export class LiveGroups {
  private readonly inFlight = new Map<string, Promise<UnitResult>>();
  private readonly redoing = new Map<string, Promise<UnitResult>>();
  private readonly groups = new Map<string, GroupCommit<Read>>();
  private readonly lookups: GroupCommit<Lookup>;

  constructor(private readonly opts: LiveGroupsOptions) {
    this.lookups = new GroupCommit(
      async (batch) => {
        const found = await opts.table.groupsOf(batch.map((l) => l.object));
        batch.forEach((l) => (l.found = found.get(versionKey(l.object))));
      },
      { maxItems: LOOKUPS_PER_QUERY, lingerMs: 0 }
    );
  }

  /**
   * Whether an object may join a group: listed small, and with an ETag, so that a later version of
   * the same key is never taken for a member of an earlier version's group.
   */
  static joins(ref: ObjectRef): boolean {
    return ref.size <= LIVE_GROUP_OBJECT_BYTES && ref.etag !== '';
  }

  /** Ingests a live object, alone or with others; resolves once it is final, or with why it needs another try. */
  async ingest(source: Source, ref: ObjectRef, signal: AbortSignal): Promise<UnitResult> {
    const key = versionKey(ref);
    // A second message naming the object (a redelivery, a repeated notification, another source's
    // queue) waits for the first attempt, then finds it in the ledger.
    for (let running = this.inFlight.get(key); running; running = this.inFlight.get(key)) {
      await running.catch(() => undefined);
    }
    const attempt = this.attempt(source, ref, signal).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, attempt);
    return attempt;
  }

  private async attempt(source: Source, ref: ObjectRef, signal: AbortSignal): Promise<UnitResult> {
    if (await this.opts.ledger.ingested(ref)) {
      return this.opts.ingest(source, [ref], NOTHING_READ, signal);
    }
    const lookup: Lookup = { object: ref };
    await this.lookups.add([lookup]);
    if (lookup.found?.sourceId === source.id) {
      return this.redo(source, ref, lookup.found.groupId, signal);
    }
    if (lookup.found) {
      // Its group is read again with its own source's rights, when that source's message comes back.
      const reason = `recorded in live group ${lookup.found.groupId} of source "${lookup.found.sourceId}", which inserts it again`;
      return { kind: 'retry', object: ref, reason, unsettled: [ref] };
    }
    if (this.opts.lingerMs === 0) {
      return this.opts.ingest(source, [ref], NOTHING_READ, signal);
    }
    const rows = new ObjectRows(LIVE_GROUP_OBJECT_WEIGHT);
    const tooLarge = new AbortController();
    const whole: RowSink = {
      push: (row) => {
        // A full buffer asks the reader to wait: nothing takes rows before the group's insert.
        if (!tooLarge.signal.aborted && rows.push(row)) {
          tooLarge.abort();
        }
        return undefined;
      },
    };
    const read = await this.opts.read(source, ref, whole, AbortSignal.any([signal, tooLarge.signal]));
    if (tooLarge.signal.aborted) {
      rows.discard();
      return this.opts.ingest(source, [ref], NOTHING_READ, signal);
    }
    if (read.kind === 'retry') {
      rows.discard();
      return { kind: 'retry', object: ref, reason: read.reason, unsettled: [ref] };
    }
    rows.finish(read);
    await this.groupFor(source.id).add([{ source, ref, rows }]);
    return { kind: 'done' };
  }

  /** Inserts one group: recorded first, then ingested with the rows its objects were read into. */
  private async insert(group: Read[]): Promise<void> {
    const { source } = group[group.length - 1];
    const id = randomUUID();
    const objects = group.map((g) => g.ref);
    await this.opts.table.record(source.id, id, objects);
    failpoint('after-live-group');
    const result = await this.opts.ingest(source, objects, new Map(group.map((g) => [versionKey(g.ref), g.rows])), NEVER);
    if (result.kind !== 'done') {
      // Every object was read to its end before it joined, so no block waits on another try.
      throw new Error(`live group ${id} of source "${source.id}" was not stored whole (${result.kind})`);
    }
  }

  /** Ingests the group an object was recorded in, every object of it read from S3; once at a time per group. */
  private async redo(source: Source, ref: ObjectRef, group: string, signal: AbortSignal): Promise<UnitResult> {
    const mine = versionKey(ref);
    const members = await this.opts.table.members(source.id, group);
    if (!members.some((m) => versionKey(m) === mine)) {
      // The table no longer holds the group whole (its rows outlived): the object goes alone.
      return this.opts.ingest(source, [ref], NOTHING_READ, signal);
    }
    let redo = this.redoing.get(group);
    if (!redo) {
      redo = this.opts.ingest(source, members, NOTHING_READ, signal).finally(() => this.redoing.delete(group));
      this.redoing.set(group, redo);
    }
    const result = await redo;
    if (result.kind === 'done' || !result.unsettled.some((u) => versionKey(u) === mine)) {
      return { kind: 'done' };
    }
    const reason = result.kind === 'retry' ? `${result.object.key}, of its live group ${group}, needs another try: ${result.reason}` : 'stopped';
    return { kind: 'retry', object: ref, reason, unsettled: [ref] };
  }

  private groupFor(sourceId: string): GroupCommit<Read> {
    let group = this.groups.get(sourceId);
    if (!group) {
      group = new GroupCommit((reads) => this.insert(reads), { maxItems: LIVE_GROUP_OBJECTS, lingerMs: this.opts.lingerMs });
      this.groups.set(sourceId, group);
    }
    return group;
  }
}
