import type { BackfillOrder } from '../../shared/backfill';
import { failpoint } from '../failpoints';
import { errorMessage, type Logger } from '../log';
import { BucketAccessError, type BucketReader, type ObjectPage } from './bucketReader';
import { packPage } from './pack';
import type { BackfillRepository, UnitCheckpoint } from './repository';
import { objectTime, selects, type ListedObject } from './select';

export interface ListingJob {
  backfillId: string;
  bucket: string;
  region: string;
  order: BackfillOrder;
}

/** Where the fabricated notifications go (an SQS queue through SendMessageBatch). */
export interface MessageSink {
  send(bodies: string[]): Promise<void>;
}

export interface ListerOptions {
  repo: BackfillRepository;
  reader: BucketReader;
  enqueuer: MessageSink;
  log: Logger;
  signal: AbortSignal;
  /** Prefixes listed at once; default 4. */
  concurrency?: number;
  /** Keys per ListObjectsV2 page; default 1000 (the S3 maximum). */
  pageSize?: number;
  /** Asked before every page; false stops the listing (the backfill was cancelled elsewhere). */
  stillWanted?: () => Promise<boolean>;
}

const PAGE_ATTEMPTS = 4;

/** Newest first: the time a unit is filed under, descending (undated units last); oldest first the other way. */
export function unitOrder(order: BackfillOrder): (a: UnitCheckpoint, b: UnitCheckpoint) => number {
  const sign = order === 'newest' ? -1 : 1;
  return (a, b) => {
    if (a.time === b.time) {
      return a.prefix < b.prefix ? -sign : a.prefix > b.prefix ? sign : 0;
    }
    if (a.time === null || b.time === null) {
      return a.time === null ? 1 : -1;
    }
    return sign * (a.time - b.time);
  };
}

/**
 * Lists the units not done yet, a few at a time in the backfill's order, and for every page:
 * records the objects it selects, sends them packed into a few notifications (pack.ts), then
 * checkpoints the unit's continuation token. A restart resumes each unit at its checkpoint;
 * a page sent but not checkpointed is sent again, which ingest absorbs (ledger + dedup tokens).
 */
export async function listAndEnqueue(job: ListingJob, units: UnitCheckpoint[], opts: ListerOptions): Promise<void> {
  const queue = units.filter((u) => !u.done).sort(unitOrder(job.order));
  const worker = async () => {
    for (let unit = queue.shift(); unit && !opts.signal.aborted; unit = queue.shift()) {
      await listUnit(job, unit, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, queue.length) }, worker));
}

async function listUnit(job: ListingJob, unit: UnitCheckpoint, opts: ListerOptions): Promise<void> {
  const newestFirst = job.order === 'newest';
  while (!unit.done && !opts.signal.aborted) {
    if (opts.stillWanted && !(await opts.stillWanted())) {
      return;
    }
    const page = await readPage(unit, opts);
    opts.signal.throwIfAborted();
    const selected = page.objects.filter((o) => selects(unit.filter, o));
    const timed = selected.map((o) => ({ object: o, time: objectTime(o) })).sort((a, b) => (newestFirst ? b.time - a.time : a.time - b.time));
    await opts.repo.recordListed(
      job.backfillId,
      timed.map(({ object, time }) => ({ key: object.key, etag: object.etag, size: object.size, keyTime: time }))
    );
    await opts.enqueuer.send(
      packPage(
        job.backfillId,
        job.bucket,
        job.region,
        timed.map(({ object }) => object)
      )
    );
    failpoint('while-listing');
    unit.pages++;
    unit.seen += page.objects.length;
    unit.enqueued += selected.length;
    unit.ignored += page.objects.length - selected.length;
    unit.token = page.nextToken ?? '';
    unit.done = !page.nextToken;
    await opts.repo.saveUnits(job.backfillId, [unit]);
  }
}

async function readPage(unit: UnitCheckpoint, opts: ListerOptions): Promise<ObjectPage> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await opts.reader.page(unit.prefix, unit.token || undefined, opts.pageSize);
    } catch (err) {
      if (err instanceof BucketAccessError || opts.signal.aborted || attempt >= PAGE_ATTEMPTS) {
        throw err;
      }
      opts.log.warn({ bucket: opts.reader.bucket, prefix: unit.prefix, attempt, err: errorMessage(err) }, 'listing failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

/** For an estimate: every object the units select, without sending or recording anything. */
export async function countSelected(
  units: UnitCheckpoint[],
  reader: BucketReader,
  signal?: AbortSignal,
  concurrency = 8
): Promise<{ objects: number; bytes: number }> {
  const total = { objects: 0, bytes: 0 };
  const queue = [...units];
  const worker = async () => {
    for (let unit = queue.shift(); unit; unit = queue.shift()) {
      let token: string | undefined;
      do {
        signal?.throwIfAborted();
        const page = await reader.page(unit.prefix, token);
        for (const o of page.objects.filter((x: ListedObject) => selects(unit.filter, x))) {
          total.objects++;
          total.bytes += o.size;
        }
        token = page.nextToken;
      } while (token);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return total;
}
