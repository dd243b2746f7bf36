import type { BackfillOrder } from '../../shared/backfill';
import { errorMessage, type Logger } from '../log';
import { BucketAccessError, type BucketReader, type ObjectPage } from './bucketReader';
import { packPage } from './pack';
import type { ListUnit } from './planner';
import type { BackfillRepository } from './repository';
import { objectTime, selects, type ListedObject } from './select';

export interface ListingJob {
  backfillId: string;
  bucket: string;
  region: string;
  order: BackfillOrder;
}

/** Where the packed notifications go (an SQS queue through SendMessageBatch). */
export interface MessageSink {
  /** `inOrder`: one batch after the other, so the queue holds them in this order. */
  send(bodies: string[], options?: { inOrder?: boolean }): Promise<void>;
}

export interface PageOptions {
  repo: Pick<BackfillRepository, 'recordListed'>;
  reader: BucketReader;
  enqueuer: MessageSink;
  log: Logger;
  signal: AbortSignal;
  /** Keys per ListObjectsV2 page; default 1000 (the S3 maximum). */
  pageSize?: number;
}

/** What one page held: objects seen, those taken (packed into notifications) and those not, and where the next page starts. */
export interface ListedPage {
  seen: number;
  enqueued: number;
  ignored: number;
  nextToken?: string;
}

const PAGE_ATTEMPTS = 4;

/** Newest first: the time a unit is filed under, descending (undated units last); oldest first the other way. */
export function unitOrder(order: BackfillOrder): (a: ListUnit, b: ListUnit) => number {
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
 * Lists one page of a unit from `token` and sends what it selects: records the objects it
 * selects (for progress and coverage), then sends them packed into a few notifications
 * (pack.ts), newest first within the page (or oldest). The same page always gives the same
 * messages, so sending a page again (its unit delivered twice) repeats the same units of ingest,
 * which ingest absorbs (ledger and dedup tokens), as do the listed rows (one per object).
 */
export async function listPage(job: ListingJob, unit: ListUnit, token: string, opts: PageOptions): Promise<ListedPage> {
  const page = await readPage(unit.prefix, token, opts);
  opts.signal.throwIfAborted();
  const timed = pageSelection(job, unit, page.objects);
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
  return { seen: page.objects.length, enqueued: timed.length, ignored: page.objects.length - timed.length, nextToken: page.nextToken };
}

/** The objects of a page the unit takes, with the time each is filed under, in the order they are packed (newest first, or oldest). */
export function pageSelection(job: Pick<ListingJob, 'order'>, unit: ListUnit, objects: ListedObject[]): Array<{ object: ListedObject; time: number }> {
  const newestFirst = job.order === 'newest';
  return objects
    .filter((o) => selects(unit.filter, o))
    .map((o) => ({ object: o, time: objectTime(o) }))
    .sort((a, b) => (newestFirst ? b.time - a.time : a.time - b.time));
}

export async function readPage(prefix: string, token: string, opts: Pick<PageOptions, 'reader' | 'signal' | 'log' | 'pageSize'>): Promise<ObjectPage> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await opts.reader.page(prefix, token || undefined, opts.pageSize);
    } catch (err) {
      if (err instanceof BucketAccessError || opts.signal.aborted || attempt >= PAGE_ATTEMPTS) {
        throw err;
      }
      opts.log.warn({ bucket: opts.reader.bucket, prefix, attempt, err: errorMessage(err) }, 'listing failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

/** For an estimate: every object the units select, without sending or recording anything. */
export async function countSelected(
  units: ListUnit[],
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
