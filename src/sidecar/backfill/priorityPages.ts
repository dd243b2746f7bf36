import type { Logger } from '../log';
import type { BucketReader } from './bucketReader';
import { DAY_MS, HOUR_MS } from './dates';
import { pageSelection, readPage } from './lister';
import { packPageMessages } from './pack';
import type { ListUnit } from './planner';
import type { BackfillRecord, BackfillRepository } from './repository';

/** One backfill message of a page that holds objects of the wanted hours: the very body the listing unit sends to the backfill queue. */
export interface WantedMessage {
  body: string;
  /** Its objects in the wanted hours, all its objects, and their bytes. */
  wanted: number;
  objects: number;
  bytes: number;
  /** The time of its newest wanted object (or oldest, for an oldest-first backfill): the order the lane works in. */
  time: number;
}

export interface WantedOptions {
  reader: BucketReader;
  repo: Pick<BackfillRepository, 'recordListed'>;
  log: Logger;
  signal: AbortSignal;
  pageSize?: number;
  /** Pages listed at most for one request. */
  maxPages: number;
}

const UNITS_AT_ONCE = 4;

/**
 * The messages of a backfill that hold objects of the hours [from, to): the units filed under a
 * day (or hour) that overlaps them, delivery lag included, and the undated ones, listed page by page from their start as the
 * listing units do, each page selected, ordered and packed exactly as lister.ts does, so every
 * message is byte-identical to the one its listing unit sends: ingest's ledger and insert tokens
 * make the second copy harmless, whichever comes first. The listed objects are recorded (one row
 * per object, whoever lists it); the pages are not, so the listing units go on as planned.
 */
export async function wantedMessages(
  record: BackfillRecord,
  plan: ListUnit[],
  hours: { from: number; to: number },
  opts: WantedOptions
): Promise<{ messages: WantedMessage[]; pages: number; cut: boolean }> {
  // Keys are stamped with the delivery or interval-end time (up to the margin after the events),
  // or with the start of a file that began before the hour: an hour either side is taken too.
  const since = hours.from - HOUR_MS;
  const until = hours.to + Math.max((record.marginMinutes ?? 0) * 60_000, HOUR_MS);
  const units = plan.filter((u) => u.time === null || (u.time < until && u.time + DAY_MS > since));
  const job = { backfillId: record.id, bucket: record.bucket, region: record.region, order: record.order };
  const messages: WantedMessage[] = [];
  let pages = 0;
  let cut = false;
  const queue = [...units];
  const worker = async () => {
    for (let unit = queue.shift(); unit; unit = queue.shift()) {
      let token = '';
      do {
        if (pages >= opts.maxPages) {
          cut = true;
          return;
        }
        pages++;
        const page = await readPage(unit.prefix, token, opts);
        opts.signal.throwIfAborted();
        const timed = pageSelection(job, unit, page.objects);
        const times = new Map(timed.map(({ object, time }) => [object.key, time]));
        await opts.repo.recordListed(
          record.id,
          timed.map(({ object, time }) => ({ key: object.key, etag: object.etag, size: object.size, keyTime: time }))
        );
        for (const { body, objects } of packPageMessages(
          record.id,
          record.bucket,
          record.region,
          timed.map(({ object }) => object)
        )) {
          const wanted = objects.map((o) => times.get(o.key) ?? NaN).filter((t) => t >= since && t < until);
          if (wanted.length > 0) {
            const time = record.order === 'newest' ? Math.max(...wanted) : Math.min(...wanted);
            messages.push({ body, wanted: wanted.length, objects: objects.length, bytes: objects.reduce((n, o) => n + o.size, 0), time });
          }
        }
        token = page.nextToken ?? '';
      } while (token);
    }
  };
  await Promise.all(Array.from({ length: Math.min(UNITS_AT_ONCE, queue.length) }, worker));
  messages.sort((a, b) => (record.order === 'newest' ? b.time - a.time : a.time - b.time));
  return { messages, pages, cut };
}
