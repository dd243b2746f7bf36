import { parseNotification } from '../ingest/notifications';
import { createLogger } from '../log';
import { openTestStore, type TestStore } from '../query/testing';
import { isListingUnit } from '../queue/listingUnit';
import type { Disposition, QueueMessage } from '../queue/message';
import { testBinding } from '../queue/testing';
import { BackfillTables } from '../store/backfills';
import { BucketAccessError } from './bucketReader';
import { BackfillDirectory } from './directory';
import type { MessageSink } from './lister';
import type { ListUnit } from './planner';
import type { BackfillRecord } from './repository';
import { MemoryBucket } from './testing';
import { ListingUnitHandler } from './unitHandler';
import { parseUnitBody, unitBody } from './unitMessage';

const HOUR = 3_600_000;
const DAY1 = Date.UTC(2024, 4, 1);
const DAY2 = Date.UTC(2024, 4, 2);
const log = createLogger('silent');
const DAY1_PREFIX = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/';
const DAY2_PREFIX = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/02/';

function trailKey(day: string, hhmm: string): string {
  const [y, m, d] = day.split('-');
  return `AWSLogs/111122223333/CloudTrail/us-east-1/${y}/${m}/${d}/111122223333_CloudTrail_us-east-1_${y}${m}${d}T${hhmm}Z_x.json.gz`;
}

const unit = (prefix: string, time: number): ListUnit => ({ prefix, time, filter: { from: DAY1, to: DAY2 + 24 * HOUR, logType: 'cloudtrail' } });

function record(id: string, state: BackfillRecord['state'] = 'listing', sourceId = 'trail'): BackfillRecord {
  return {
    id,
    sourceId,
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: [],
    from: DAY1,
    to: DAY2 + 24 * HOUR,
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

const day1 = ['0000', '0300', '0600'].map((t) => trailKey('2024-05-01', t));
const day2 = ['0000', '0100', '0200', '0300', '0400'].map((t) => trailKey('2024-05-02', t));
const noise = [
  { key: DAY2_PREFIX },
  { key: trailKey('2024-05-02', '0500').replace('.json.gz', '.empty.json.gz'), size: 0 },
  { key: trailKey('2024-05-04', '0000').replace('/04/', '/02/') },
];

/**
 * One backfill queue in memory and the sidecars working on it: each handler has a directory of
 * its own on the one store, as separate processes do. Messages are handed out in order, one
 * sidecar after the other; a message whose handler does not answer `delete` goes back to the end.
 */
class SharedQueue {
  readonly messages: string[] = [];
  /** Every body sent to the queue, in order. */
  readonly sent: string[] = [];
  readonly rejected: Array<{ body: string; reason: string }> = [];
  /** Fails the Nth send (1-based) after delivering it, as when a sidecar dies before it records the page. */
  failSendAt = Infinity;
  private sends = 0;
  private receives = new Map<string, number>();

  sink(): MessageSink {
    return {
      send: async (bodies: string[]) => {
        this.messages.push(...bodies);
        this.sent.push(...bodies);
        if (++this.sends === this.failSendAt) {
          throw new Error('connection lost after the send');
        }
      },
    };
  }

  handlers(repo: BackfillTables, bucket: MemoryBucket | (() => never), count: number): ListingUnitHandler[] {
    return Array.from(
      { length: count },
      () =>
        new ListingUnitHandler({
          directory: new BackfillDirectory(repo),
          bucket: () => (bucket instanceof MemoryBucket ? bucket : { bucket: 'logs', folders: bucket, page: bucket }),
          queue: () => this.sink(),
          log,
          reject: async (message, reason) => void this.rejected.push({ body: message.body, reason }),
          pageSize: 2,
        })
    );
  }

  /** Hands the listing units out round robin until none is left; returns which handler listed each page. */
  async drain(handlers: ListingUnitHandler[]): Promise<Array<{ handler: number; disposition: Disposition; body: string }>> {
    const log: Array<{ handler: number; disposition: Disposition; body: string }> = [];
    for (let i = 0, n = 0; i < this.messages.length;) {
      const body = this.messages[i];
      const message = this.message(body);
      if (!isListingUnit(message)) {
        i++;
        continue;
      }
      this.messages.splice(i, 1);
      const handler = n++ % handlers.length;
      const disposition = await handlers[handler].handle(message, new AbortController().signal);
      log.push({ handler, disposition, body });
      if (disposition !== 'delete') {
        this.messages.push(body);
      }
    }
    return log;
  }

  message(body: string): QueueMessage {
    const receiveCount = (this.receives.get(body) ?? 0) + 1;
    this.receives.set(body, receiveCount);
    return { binding: testBinding('backfill'), id: `m-${this.sent.indexOf(body)}`, body, receiveCount, attributes: {} };
  }

  notifiedKeys(): string[] {
    return this.sent.filter((b) => !b.startsWith('{"type"')).flatMap((b) => this.keysOf(b));
  }

  keysOf(notification: string): string[] {
    const n = parseNotification(notification);
    return n.kind === 'objects' ? n.objects.map((o) => o.key) : [];
  }
}

describe('listing units', () => {
  let db: TestStore;
  let repo: BackfillTables;

  beforeAll(async () => {
    db = await openTestStore(false);
    repo = new BackfillTables(db.store);
  });
  afterAll(async () => {
    await db.close();
  });

  async function startBackfill(id: string, state: BackfillRecord['state'] = 'listing'): Promise<void> {
    await repo.savePlan(id, [unit(DAY1_PREFIX, DAY1), unit(DAY2_PREFIX, DAY2)]);
    await repo.saveBackfill(record(id, state));
  }

  /** What a start sends: the unit of the first prefix, newest first. */
  const firstUnits = (id: string) => [unitBody({ backfillId: id, prefix: DAY2_PREFIX, page: 0, token: '' })];

  it('are listed a page each by whichever sidecar receives them, each page newest first and followed by the next unit, every page recorded once', async () => {
    const bucket = new MemoryBucket('logs', [...day1, ...day2, ...noise]);
    await startBackfill('bf-spread');
    const queue = new SharedQueue();
    queue.messages.push(...firstUnits('bf-spread'));
    const handled = await queue.drain(queue.handlers(repo, bucket, 3));

    expect(handled.every((h) => h.disposition === 'delete')).toBe(true);
    // 11 keys, 2 per page: 4 pages of day 2 (the folder marker takes a place), 2 of day 1, listed by all three sidecars.
    expect(handled).toHaveLength(6);
    expect(new Set(handled.map((h) => h.handler))).toEqual(new Set([0, 1, 2]));
    const units = handled.map((h) => parseUnitBody(h.body));
    expect(units.filter((u) => u.prefix === DAY2_PREFIX).map((u) => u.page)).toEqual([0, 1, 2, 3]);
    // Day 2 (the newest) was listed first; within a page the newest object goes first.
    const keys = queue.notifiedKeys();
    expect(keys[0]).toBe(day2[0]);
    expect(keys.indexOf(day2[1])).toBe(keys.indexOf(day2[2]) + 1);
    expect(new Set(keys)).toEqual(new Set([...day1, ...day2]));
    expect(keys).toHaveLength(day1.length + day2.length);
    expect(queue.rejected).toEqual([]);

    const progress = (await repo.progress(['bf-spread'])).get('bf-spread')!;
    expect(progress).toMatchObject({ units: 2, unitsDone: 2, pages: 6, listed: 8, enqueued: 8, ignored: 3, seen: 11, processed: 0 });
    expect(await repo.unlistedUnits(['bf-spread'])).toEqual([]);
  });

  it('lead with the first prefix: a start sends its unit alone, and its first page sends the units of every other prefix after its notifications', async () => {
    const days = Array.from({ length: 11 }, (_, i) => `2024-05-${String(i + 1).padStart(2, '0')}`);
    const prefixOf = (day: string) => `AWSLogs/111122223333/CloudTrail/us-east-1/${day.replaceAll('-', '/')}/`;
    const bucket = new MemoryBucket(
      'logs',
      days.map((day) => trailKey(day, '0100'))
    );
    const newestFirst = [...days].reverse();
    const filter = { from: DAY1, to: DAY1 + days.length * 24 * HOUR, logType: 'cloudtrail' as const };
    await repo.savePlan(
      'bf-lead',
      days.map((day) => ({ prefix: prefixOf(day), time: Date.parse(`${day}T00:00:00Z`), filter }))
    );
    await repo.saveBackfill(record('bf-lead'));
    const queue = new SharedQueue();
    // What BackfillService.start sends: the unit of the newest prefix.
    queue.messages.push(unitBody({ backfillId: 'bf-lead', prefix: prefixOf(newestFirst[0]), page: 0, token: '' }));
    const handled = await queue.drain(queue.handlers(repo, bucket, 2));

    expect(handled.map((h) => parseUnitBody(h.body).prefix)).toEqual(newestFirst.map(prefixOf));
    // The newest prefix's notification goes first, then the units of the others, newest first, once each.
    expect(queue.keysOf(queue.sent[0])).toEqual([trailKey(newestFirst[0], '0100')]);
    const sentUnits = queue.sent.filter((b) => b.startsWith('{"type"')).map((b) => parseUnitBody(b).prefix);
    expect(sentUnits).toEqual(newestFirst.slice(1).map(prefixOf));
    expect(new Set(queue.notifiedKeys())).toEqual(new Set(days.map((day) => trailKey(day, '0100'))));
    expect((await repo.progress(['bf-lead'])).get('bf-lead')).toMatchObject({ units: days.length, unitsDone: days.length });
  });

  it('come back after a crash between sending a page and recording it: that page is sent again, the unit after it only once, and nothing is counted twice', async () => {
    const bucket = new MemoryBucket('logs', [...day1, ...day2, ...noise]);
    await startBackfill('bf-crash');
    const queue = new SharedQueue();
    queue.messages.push(...firstUnits('bf-crash'));
    // Sends: day 2's first page, then its next unit with day 1's first (one send), then day 2's second page, which
    // fails once delivered: the sidecar dies before it sends the next unit.
    queue.failSendAt = 3;
    const handled = await queue.drain(queue.handlers(repo, bucket, 2));

    expect(handled.map((h) => h.disposition).filter((d) => d === 'retry')).toHaveLength(1);
    const retried = handled.find((h) => h.disposition === 'retry')!.body;
    expect(parseUnitBody(retried)).toMatchObject({ prefix: DAY2_PREFIX, page: 1 });
    // Sent twice: the two objects of that page; every other object once.
    const keys = queue.notifiedKeys();
    expect(keys).toHaveLength(day1.length + day2.length + 2);
    expect(keys.filter((k) => k === day2[1] || k === day2[2])).toHaveLength(4);
    // Listed again, the page gave the same packed message, byte for byte: the same unit of ingest, whose block tokens drop the repeat.
    const pageMessages = queue.sent.filter((b) => !b.startsWith('{"type"') && queue.keysOf(b).includes(day2[1]));
    expect(pageMessages).toHaveLength(2);
    expect(pageMessages[1]).toBe(pageMessages[0]);
    expect(queue.keysOf(pageMessages[0])).toEqual([day2[2], day2[1]]);
    // The unit of the page after it went out once: the crash came before it.
    expect(queue.sent.filter((b) => b.startsWith('{"type"') && parseUnitBody(b).prefix === DAY2_PREFIX && parseUnitBody(b).page === 2)).toHaveLength(1);
    expect((await repo.progress(['bf-crash'])).get('bf-crash')).toMatchObject({ units: 2, unitsDone: 2, pages: 6, listed: 8, enqueued: 8, seen: 11 });
  });

  it('are dropped when delivered again after their page was recorded', async () => {
    const bucket = new MemoryBucket('logs', [...day1, ...day2, ...noise]);
    await startBackfill('bf-twice');
    const queue = new SharedQueue();
    const [first] = firstUnits('bf-twice');
    queue.messages.push(first);
    const handlers = queue.handlers(repo, bucket, 1);
    await queue.drain(handlers);
    const sent = queue.sent.length;
    expect(await handlers[0].handle(queue.message(first), new AbortController().signal)).toBe('delete');
    expect(queue.sent).toHaveLength(sent);
  });

  it('of a cancelled backfill are dropped without listing', async () => {
    const bucket = new MemoryBucket('logs', [...day1, ...day2]);
    await startBackfill('bf-gone', 'cancelled');
    const queue = new SharedQueue();
    queue.messages.push(...firstUnits('bf-gone'));
    const handled = await queue.drain(queue.handlers(repo, bucket, 1));
    expect(handled.map((h) => h.disposition)).toEqual(['delete']);
    expect(bucket.calls).toEqual([]);
    expect(queue.sent).toEqual([]);
    expect(queue.rejected).toEqual([]);
  });

  it.each([
    ['not JSON', '{"type":"lookback.listing-unit",', /^listing unit is not JSON/],
    ['without a token on a later page', unitBody({ backfillId: 'bf-known', prefix: DAY1_PREFIX, page: 2, token: '' }), /continuation token/],
    ['of a backfill that does not exist', unitBody({ backfillId: 'bf-nowhere', prefix: DAY1_PREFIX, page: 0, token: '' }), /bf-nowhere, which does not exist/],
    ['of another source', unitBody({ backfillId: 'bf-other', prefix: DAY1_PREFIX, page: 0, token: '' }), /belongs to source "elsewhere"/],
    ['of a prefix the backfill did not plan', unitBody({ backfillId: 'bf-known', prefix: 'AWSLogs/', page: 0, token: '' }), /did not plan: "AWSLogs\/"/],
  ])('%s are recorded as rejected and deleted, listing nothing', async (_what, body, reason) => {
    await startBackfill('bf-known');
    await repo.savePlan('bf-other', [unit(DAY1_PREFIX, DAY1)]);
    await repo.saveBackfill(record('bf-other', 'listing', 'elsewhere'));
    const bucket = new MemoryBucket('logs', day1);
    const queue = new SharedQueue();
    const [handler] = queue.handlers(repo, bucket, 1);
    expect(await handler.handle(queue.message(body), new AbortController().signal)).toBe('delete');
    expect(queue.rejected).toEqual([{ body, reason: expect.stringMatching(reason) }]);
    expect(bucket.calls).toEqual([]);
    expect(queue.sent).toEqual([]);
  });

  it('fail the backfill when the bucket may not be listed, and stay for another try when listing fails otherwise', async () => {
    await startBackfill('bf-denied');
    const queue = new SharedQueue();
    const [denied] = queue.handlers(
      repo,
      () => {
        throw new BucketAccessError('access-denied', 'access denied listing s3://logs/AWSLogs/');
      },
      1
    );
    const [body] = firstUnits('bf-denied');
    expect(await denied.handle(queue.message(body), new AbortController().signal)).toBe('delete');
    expect(await repo.backfill('bf-denied')).toMatchObject({ state: 'failed', error: 'access denied listing s3://logs/AWSLogs/' });

    await startBackfill('bf-flaky');
    const aborted = new AbortController();
    aborted.abort();
    const [flaky] = queue.handlers(
      repo,
      () => {
        throw new Error('socket hang up');
      },
      1
    );
    // Aborted: no retries with backoff inside the handler, the message is left for redelivery.
    expect(await flaky.handle(queue.message(firstUnits('bf-flaky')[0]), aborted.signal)).toBe('retry');
    expect((await repo.backfill('bf-flaky'))?.state).toBe('listing');
  });
});
