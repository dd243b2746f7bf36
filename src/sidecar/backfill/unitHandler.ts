import { failpoint } from '../failpoints';
import { errorMessage, type Logger } from '../log';
import type { QueueBinding } from '../queue/bindings';
import type { Disposition, MessageHandler, QueueMessage } from '../queue/message';
import { BucketAccessError, type BucketReader } from './bucketReader';
import type { BackfillDirectory } from './directory';
import { listPage, unitOrder, type MessageSink } from './lister';
import type { ListUnit } from './planner';
import type { BackfillRecord } from './repository';
import { parseUnitBody, unitBody, UnitMessageError, type UnitMessage } from './unitMessage';

export interface ListingUnitHandlerOptions {
  directory: BackfillDirectory;
  /** Lists the backfill's bucket (S3BucketReader, with its assumed role's credentials when it names one). */
  bucket(record: BackfillRecord, signal: AbortSignal): BucketReader;
  /** Sends to a queue (Enqueuer): the notifications and the next unit go to the queue the unit came from. */
  queue(binding: QueueBinding, signal: AbortSignal): MessageSink;
  log: Logger;
  /** Records a message that is not read, with why (rejected_messages, as ingest does). */
  reject(message: QueueMessage, reason: string): Promise<void>;
  /** ListObjectsV2 page size (tests use small pages); default 1000. */
  pageSize?: number;
}

/** A backfill's planned prefixes, by prefix and in the backfill's order. */
interface Plan {
  units: Map<string, ListUnit>;
  ordered: ListUnit[];
  place: Map<string, number>;
}

/**
 * The units a listed page sends: the prefix's next page, and after the first page of the
 * backfill's first prefix, the first page of every other prefix in the backfill's order (a start
 * sends only that first unit, so the first notifications lead the queue).
 */
function nextUnits(backfillId: string, plan: Plan, unit: UnitMessage, nextToken: string | undefined): UnitMessage[] {
  const next: UnitMessage[] = nextToken ? [{ ...unit, page: unit.page + 1, token: nextToken }] : [];
  if (unit.page === 0 && plan.place.get(unit.prefix) === 0) {
    next.push(...plan.ordered.slice(1).map((u) => ({ backfillId, prefix: u.prefix, page: 0, token: '' })));
  }
  return next;
}

/** Plans kept in memory (they never change once stored); past this many the oldest go. */
const PLANS_KEPT = 100;

/**
 * Lists one page of a backfill's prefix for a listing unit received from a backfill queue, on
 * whichever sidecar received it, so listing is spread, resumed and scaled like ingest itself:
 * checks the backfill still lists and the unit is one it planned, lists the page, records the
 * objects it selects, sends their notifications and then the units that follow (nextUnits) to the
 * same queue, records the page, and has the unit deleted. A crash between those steps sends the unit
 * back, and the page is listed and sent again: ingest drops the objects it has (ledger and dedup
 * tokens), the stored rows fold (one per object, one per page), and a page already recorded is
 * not listed again.
 */
export class ListingUnitHandler implements MessageHandler {
  private readonly plans = new Map<string, Promise<Plan>>();

  constructor(private readonly opts: ListingUnitHandlerOptions) {}

  async handle(message: QueueMessage, signal: AbortSignal): Promise<Disposition> {
    const { directory, log } = this.opts;
    let unit: UnitMessage;
    try {
      unit = parseUnitBody(message.body);
    } catch (err) {
      if (!(err instanceof UnitMessageError)) {
        throw err;
      }
      await this.opts.reject(message, err.message);
      return 'delete';
    }
    const record = await directory.get(unit.backfillId);
    if (!record) {
      await this.opts.reject(message, `listing unit of backfill ${unit.backfillId}, which does not exist`);
      return 'delete';
    }
    if (record.sourceId !== message.binding.source.id) {
      await this.opts.reject(message, `listing unit of backfill ${record.id}, which belongs to source "${record.sourceId}", not to this queue's`);
      return 'delete';
    }
    const plan = await this.planOf(record);
    if (plan.units.size === 0) {
      // Stored before the record, so only a replica behind the one the record came from lacks it.
      log.warn({ backfill: record.id }, 'listing unit of a backfill whose plan cannot be read yet; it stays on the queue');
      return 'retry';
    }
    const planned = plan.units.get(unit.prefix);
    if (!planned) {
      await this.opts.reject(message, `listing unit of a prefix backfill ${record.id} did not plan: "${unit.prefix.slice(0, 200)}"`);
      return 'delete';
    }
    const where = { backfill: record.id, prefix: unit.prefix, page: unit.page };
    if (record.state !== 'listing') {
      log.info({ ...where, state: record.state }, 'listing unit dropped: the backfill no longer lists');
      return 'delete';
    }
    if (await directory.repo.pageRecorded(record.id, unit.prefix, unit.page)) {
      log.info(where, 'listing unit dropped: its page was listed already');
      return 'delete';
    }
    if (message.receiveCount > 1) {
      log.info({ ...where, receives: message.receiveCount }, 'listing a page again: its unit came back');
    }
    return this.list(record, plan, planned, unit, message, signal);
  }

  private async list(
    record: BackfillRecord,
    plan: Plan,
    planned: ListUnit,
    unit: UnitMessage,
    message: QueueMessage,
    signal: AbortSignal
  ): Promise<Disposition> {
    const { directory, log } = this.opts;
    const { binding } = message;
    const queue = this.opts.queue(binding, signal);
    try {
      const page = await listPage({ backfillId: record.id, bucket: record.bucket, region: record.region, order: record.order }, planned, unit.token, {
        repo: directory.repo,
        reader: this.opts.bucket(record, signal),
        enqueuer: queue,
        log,
        signal,
        pageSize: this.opts.pageSize,
      });
      failpoint('while-listing');
      const next = nextUnits(record.id, plan, unit, page.nextToken);
      if (next.length > 0) {
        await queue.send(next.map(unitBody), { inOrder: true });
      }
      await directory.repo.recordPage(record.id, { prefix: unit.prefix, page: unit.page, token: unit.token, nextToken: page.nextToken ?? '', ...page });
      log.info({ backfill: record.id, prefix: unit.prefix, page: unit.page, objects: page.enqueued, last: !page.nextToken }, 'listed a page');
      return 'delete';
    } catch (err) {
      if (err instanceof BucketAccessError) {
        log.error({ backfill: record.id, prefix: unit.prefix, err: err.message }, 'backfill failed');
        await directory.transition(record.id, 'listing', { state: 'failed', error: err.message, finishedAt: Date.now() });
        return 'delete';
      }
      if (!signal.aborted) {
        log.error(
          { backfill: record.id, prefix: unit.prefix, page: unit.page, err: errorMessage(err) },
          'cannot list a page; its unit stays on the queue for another try'
        );
      }
      return 'retry';
    }
  }

  private planOf(record: BackfillRecord): Promise<Plan> {
    const backfillId = record.id;
    let plan = this.plans.get(backfillId);
    if (!plan) {
      plan = this.opts.directory.repo.plan(backfillId).then((units) => {
        if (units.length === 0) {
          this.plans.delete(backfillId);
        }
        const ordered = [...units].sort(unitOrder(record.order));
        return { units: new Map(units.map((u) => [u.prefix, u])), ordered, place: new Map(ordered.map((u, i) => [u.prefix, i])) };
      });
      plan.catch(() => this.plans.delete(backfillId));
      this.plans.set(backfillId, plan);
      if (this.plans.size > PLANS_KEPT) {
        this.plans.delete(this.plans.keys().next().value!);
      }
    }
    return plan;
  }
}
