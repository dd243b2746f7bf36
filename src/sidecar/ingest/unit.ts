import type { Source } from '../../shared/api';
import type { Semaphore } from '../concurrency/semaphore';
import { failpoint } from '../failpoints';
import type { QueueKind } from '../queue/bindings';
import type { EncodedRow } from '../store/rowBinary';
import { versionKey, type ObjectVersion, type Store } from '../store/store';
import { blockToken, chunkToken, firstBlockBounds, RowBlock, rowWeight, type BlockBounds } from './blocks';
import type { ObjectRef } from './notifications';
import { ObjectRows } from './objectRows';
import type { ObjectOutcome } from './outcome';
import { readObject, type ObjectRead, type ReadOptions } from './readObject';

/** Row weight an object read ahead of its turn may buffer before its reader waits. */
const READ_AHEAD_WEIGHT = 4 * 1024 * 1024;
/** Inserts of one unit sent at once: the next block is read and packed while the store inserts one. */
const INSERTS_IN_FLIGHT = 2;

/** The objects of one message, as one unit of ingest. */
export interface UnitJob {
  source: Source;
  /** Trusted, in the message's order. */
  objects: ObjectRef[];
  backfillId: string;
  queue: QueueKind;
}

export interface UnitOptions extends ReadOptions {
  store: Pick<Store, 'insertEncodedEvents'>;
  /** Objects read at once, shared by the units of one kind of queue. */
  reads: Semaphore;
  bounds: BlockBounds;
  /** Objects that became final: their ledger rows are stored (or the ledger had them before). */
  settled(outcomes: SettledObject[]): Promise<void>;
  /** Asked before each insert; false stops the unit, its unsettled objects not read or stored (a cancelled backfill). */
  stillWanted?(): Promise<boolean>;
  /** Awaited before each object is read: resolves once the unit may read more (live first, see QueueMessage). */
  mayRead?: (signal: AbortSignal) => Promise<void>;
  /** Told of each insert of events the store took, with its number of rows. */
  inserted?(rows: number): void;
  /** Objects read already, by versionKey: their rows are taken from here, not read again. */
  preread?: ReadonlyMap<string, ObjectRows>;
}

export type SettledObject = Exclude<ObjectOutcome, { kind: 'retry' }>;

export type UnitResult =
  /** Every object is final. */
  | { kind: 'done' }
  /** `stillWanted` said no: these objects were neither stored nor recorded. */
  | { kind: 'stopped'; unsettled: ObjectRef[] }
  /** `object` needs another try; the objects before it that could be are final, `unsettled` (it included) are not. */
  | { kind: 'retry'; object: ObjectRef; reason: string; unsettled: ObjectRef[] };

interface Member {
  ref: ObjectRef;
  read: Exclude<ObjectRead, { kind: 'retry' }>;
}

/** An insert sent, the objects whose ledger rows follow it, and when they are stored. */
interface Commit {
  stored: Promise<void>;
  members: Member[];
  /** Resolves once the insert and every one before it are stored, and then its objects' ledger rows. */
  settled: Promise<void>;
  isSettled: boolean;
}

class Stopped extends Error {}

const versionOf = (ref: ObjectRef): ObjectVersion => ({ bucket: ref.bucket, key: ref.key, etag: ref.etag });

/**
 * Ingests the objects of one message as one unit. Objects the ledger already has are skipped; the
 * others are read concurrently (a few at a time, shared with the other units) and their rows put
 * together in message order into blocks of whole objects, each block inserted once it is as large
 * as the bounds allow, with a token derived from exactly the objects in it; an object too large for
 * one block goes in chunks of its own, tokens derived from it and the chunk number. The ledger rows
 * of a block's objects follow its insert.
 *
 * Which objects go into a block depends only on the objects themselves and on which of them the
 * ledger had at the start, and the same token always stands for the same rows. So a redelivered
 * message, the same message handled by two consumers at once, and a listing page enqueued again
 * repeat the blocks and tokens of the first attempt, and ClickHouse drops the repeated inserts.
 * When an object fails in a way worth another try, the block it would join is not inserted.
 *
 * The next block is read and sent while the store inserts one (INSERTS_IN_FLIGHT), and blocks are
 * settled in message order, each once it and every block before it are stored. So the ledger only
 * ever holds whole blocks from the unit's start; a block stored after one that failed is not
 * recorded, and a later attempt forms it again with the same token, which the store drops.
 */
export async function ingestUnit(job: UnitJob, opts: UnitOptions, signal: AbortSignal): Promise<UnitResult> {
  const refs = [...new Map(job.objects.map((ref) => [versionKey(versionOf(ref)), ref])).values()];
  const known = await Promise.all(refs.map((ref) => (ref.etag ? opts.ledger.ingested(versionOf(ref)) : undefined)));
  const duplicates: SettledObject[] = known.flatMap((entry) => (entry ? [{ kind: 'skipped' as const, entry, duplicate: true }] : []));
  if (duplicates.length > 0) {
    await opts.settled(duplicates);
  }
  const todo = refs.filter((_, i) => !known[i]);
  // Where each object to do stands in the message: the first block's bounds depend on it (and on the message).
  const positions = refs.flatMap((_, i) => (known[i] ? [] : [i]));
  if (todo.length === 0) {
    return { kind: 'done' };
  }
  const listedBytes = refs.reduce((bytes, ref) => bytes + ref.size, 0);
  const firstBounds = firstBlockBounds(opts.bounds, listedBytes);

  const stop = new AbortController();
  const readSignal = AbortSignal.any([signal, stop.signal]);
  const buffers = todo.map((ref) => opts.preread?.get(versionKey(versionOf(ref))) ?? new ObjectRows(READ_AHEAD_WEIGHT));
  const isPreread = todo.map((ref) => opts.preread?.has(versionKey(versionOf(ref))) ?? false);
  const reading: Array<Promise<void> | undefined> = [];
  const released: boolean[] = [];
  const release = (i: number) => {
    if (!released[i]) {
      released[i] = true;
      opts.reads.release();
    }
  };
  // Slots are taken in message order, so the object whose turn it is always has one; an object
  // gives its slot back once the unit is done with it, which bounds what is read ahead.
  void (async () => {
    for (let i = 0; i < todo.length; i++) {
      if (isPreread[i]) {
        released[i] = true;
        continue;
      }
      await opts.mayRead?.(readSignal);
      await opts.reads.acquire();
      // Live work may have arrived while the slot was awaited.
      await opts.mayRead?.(readSignal);
      if (readSignal.aborted) {
        release(i);
        buffers[i].finish({ kind: 'retry', reason: 'stopped' });
        continue;
      }
      const read = readObject({ source: job.source, ref: todo[i], backfillId: job.backfillId }, opts, buffers[i], readSignal);
      reading[i] = read.then((result) => buffers[i].finish(result));
    }
  })();

  let block = new RowBlock(opts.bounds);
  let members: Member[] = [];
  // Inserts sent, oldest first: each is settled (its objects' ledger rows stored) as soon as it
  // and every insert before it are stored, while the unit reads and packs the next block. The
  // first block's events are thus searchable once inserted, not once the next block is full.
  const commits: Commit[] = [];
  let lastSettled: Promise<void> = Promise.resolve();

  const insert = async (rows: EncodedRow[], token: string) => {
    if (opts.stillWanted && !(await opts.stillWanted())) {
      throw new Stopped();
    }
    await opts.store.insertEncodedEvents(rows, token);
    opts.inserted?.(rows.length);
    failpoint('after-insert');
  };
  const settle = async (done: Member[]) => {
    const outcomes = done.map(({ read }): SettledObject => (read.kind === 'duplicate' ? { kind: 'skipped', entry: read.entry, duplicate: true } : final(read)));
    await opts.ledger.record(outcomes.filter((o) => !(o.kind === 'skipped' && o.duplicate)).map((o) => ({ ...o.entry, queue: job.queue })));
    failpoint('after-ledger');
    await opts.settled(outcomes);
  };
  /** Waits until at most `left` commits are unsettled; throws the first failure. */
  const settleCommits = async (left: number) => {
    while (commits.length > left) {
      await commits[0].settled;
      commits.shift();
    }
  };
  /** Sends the insert of `rows` (none: nothing to insert), to settle `done` once it and those before it are stored. */
  const commit = async (rows: EncodedRow[], token: string, done: Member[]) => {
    const stored = rows.length > 0 ? insert(rows, token) : Promise.resolve();
    const entry: Commit = { stored, members: done, settled: Promise.resolve(), isSettled: false };
    // A failure stops the chain: no later commit is settled.
    entry.settled = lastSettled
      .then(() => stored)
      .then(async () => {
        if (done.length > 0) {
          await settle(done);
        }
        entry.isSettled = true;
      });
    // Awaited in settleCommits, in order; these only keep an early failure from being reported unhandled.
    stored.catch(() => undefined);
    entry.settled.catch(() => undefined);
    lastSettled = entry.settled;
    commits.push(entry);
    await settleCommits(INSERTS_IN_FLIGHT - 1);
  };
  const flush = async () => {
    if (members.length === 0) {
      return;
    }
    const rows = block.take();
    const done = members;
    members = [];
    await commit(rows, blockToken(done.map((m) => versionOf(m.ref))), done);
  };

  let i = 0;
  try {
    for (; i < todo.length; i++) {
      const ref = todo[i];
      const own = new RowBlock(opts.bounds);
      // >= 0 once the object is found too large for a block: it goes in chunks of its own.
      let chunk = -1;
      let end: ObjectRead | undefined;
      while (!end) {
        const taken = await buffers[i].take();
        end = taken.end;
        for (const row of taken.rows) {
          const weight = rowWeight(row);
          if (own.rows.length > 0 && !own.fits(1, weight)) {
            if (chunk < 0) {
              await flush();
              chunk = 0;
            }
            await commit(own.take(), chunkToken(versionOf(ref), chunk++, opts.bounds), []);
          }
          own.add(row, weight);
        }
      }
      if (end.kind === 'retry') {
        await settleCommits(0);
        return { kind: 'retry', object: ref, reason: end.reason, unsettled: [...members.map((m) => m.ref), ...todo.slice(i)] };
      }
      if (chunk >= 0) {
        await commit(own.take(), chunkToken(versionOf(ref), chunk, opts.bounds), [{ ref, read: end }]);
      } else {
        if (members.length > 0 && !block.fits(own.rows.length, own.weight)) {
          await flush();
        }
        if (members.length === 0) {
          block = new RowBlock(positions[i] === 0 ? firstBounds : opts.bounds);
        }
        own.rows.forEach((row) => block.add(row, rowWeight(row)));
        members.push({ ref, read: end });
      }
      release(i);
    }
    await flush();
    await settleCommits(0);
    return { kind: 'done' };
  } catch (err) {
    if (err instanceof Stopped) {
      // A commit before the stopped one may still be storing its ledger rows: it ends settled or not.
      await Promise.allSettled(commits.map((c) => c.settled));
      const unsettled = commits.filter((c) => !c.isSettled).flatMap((c) => c.members.map((m) => m.ref));
      return { kind: 'stopped', unsettled: [...unsettled, ...members.map((m) => m.ref), ...todo.slice(i)] };
    }
    throw err;
  } finally {
    // A failed insert leaves the ones sent after it running, and those before it settling: let
    // them end before the message is let go.
    await Promise.allSettled(commits.flatMap((c) => [c.stored, c.settled]));
    stop.abort();
    for (let j = i; j < todo.length; j++) {
      buffers[j].discard();
      void reading[j]?.finally(() => release(j));
    }
  }
}

function final(read: Extract<ObjectRead, { kind: 'read' }>): SettledObject {
  const { entry } = read;
  return entry.status === 'ok'
    ? { kind: 'done', entry }
    : entry.status === 'skipped'
      ? { kind: 'skipped', entry, duplicate: false }
      : { kind: 'failed', entry };
}
