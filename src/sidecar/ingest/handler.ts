import type { IngestConfig } from '../config/types';
import { Semaphore } from '../concurrency/semaphore';
import { failpoint } from '../failpoints';
import type { Logger } from '../log';
import type { QueueKind } from '../queue/bindings';
import type { Disposition, MessageHandler, QueueMessage } from '../queue/message';
import { packNotifications, type NotifiedObject } from '../queue/notificationBodies';
import type { LiveGroupTable } from '../store/liveGroups';
import type { Store } from '../store/store';
import type { BackfillBookkeeping, MessageBackfill } from './backfills';
import type { BatchedLedger } from './batchedLedger';
import { BLOCK_WEIGHT } from './blocks';
import { NotificationError, parseNotification, type ObjectRef } from './notifications';
import { LiveGroups } from './liveGroups';
import { readObject } from './readObject';
import { partitionByScope, trustScope } from './trust';
import type { InsertStats } from './insertStats';
import { ingestUnit, type SettledObject, type UnitOptions, type UnitResult } from './unit';

const BODY_SAMPLE_CHARS = 2000;
const REASON_CHARS = 2000;
/**
 * From this receive on, a message whose object keeps failing in a way worth another try is split:
 * that object goes back to the queue alone (after a delay, with a receive count and dead-letter
 * queue of its own) and the objects still to do as another message, so they do not wait on it.
 */
export const SPLIT_AFTER_RECEIVES = 2;
export const RETRY_ALONE_DELAY_SECONDS = 60;

export interface NotificationHandlerOptions {
  store: Pick<Store, 'insertEncodedEvents' | 'recordRejected'>;
  ledger: BatchedLedger;
  backfills: BackfillBookkeeping;
  log: Logger;
  ingest: Pick<IngestConfig, 'insertBatchRows' | 'maxObjectBytes' | 'maxObjectRecords' | 'liveConcurrency' | 'backfillConcurrency'>;
  /** Counts the inserts of events, for /metrics. */
  inserts?: InsertStats;
  /**
   * Live objects share inserts, recorded in `table`, each waiting `lingerMs` for others: only for a
   * store this process alone writes (liveGroups.ts).
   */
  liveGroups?: { table: LiveGroupTable; lingerMs: number };
}

/**
 * What an S3 notification asks for: reads the message, keeps the objects its queue may name, and
 * ingests them as one unit (unit.ts), then says what to do with the message. `delete` once every
 * object is final in the ledger, or when the message is not one to read (recorded in
 * rejected_messages); `retry` when an object needs another try, and from the second receive on,
 * the objects still to do requeued around the one that keeps failing.
 */
export class NotificationHandler implements MessageHandler {
  /** Objects read at once, per kind of queue, over all its messages. */
  private readonly reads: Record<QueueKind, Semaphore>;
  /** Objects of messages the priority lane pulled forward read at once. */
  private readonly laneReads: Semaphore;
  private readonly liveGroups?: LiveGroups;

  constructor(private readonly opts: NotificationHandlerOptions) {
    this.reads = { live: new Semaphore(opts.ingest.liveConcurrency), backfill: new Semaphore(opts.ingest.backfillConcurrency) };
    this.laneReads = new Semaphore(opts.ingest.backfillConcurrency);
    if (opts.liveGroups) {
      this.liveGroups = new LiveGroups({
        ...opts.liveGroups,
        ledger: opts.ledger,
        read: async (source, ref, sink, signal) => {
          await this.reads.live.acquire();
          try {
            return await readObject({ source, ref, backfillId: '' }, this.unitOptions('live', undefined, this.reads.live), sink, signal);
          } finally {
            this.reads.live.release();
          }
        },
        ingest: (source, objects, preread, signal) =>
          ingestUnit({ source, objects, backfillId: '', queue: 'live' }, { ...this.unitOptions('live', undefined, this.reads.live), preread }, signal),
      });
    }
  }

  async handle(message: QueueMessage, signal: AbortSignal): Promise<Disposition> {
    const { log } = this.opts;
    const { binding } = message;
    let notification;
    try {
      notification = parseNotification(message.body);
    } catch (err) {
      if (!(err instanceof NotificationError)) {
        throw err;
      }
      await this.reject(message, err.message);
      return 'delete';
    }
    if (notification.kind !== 'objects') {
      log.info({ queue: binding.url, kind: notification.kind, reason: 'reason' in notification ? notification.reason : 's3:TestEvent' }, 'message skipped');
      return 'delete';
    }
    const { backfillId } = notification;
    const backfill = backfillId ? await this.opts.backfills.backfill(backfillId) : undefined;
    const scope = trustScope(binding.source, backfillId, backfill);
    if ('refused' in scope) {
      await this.reject(message, `the message ${scope.refused}: none of its ${notification.objects.length} objects is read`);
      return 'delete';
    }
    const { trusted, refused } = partitionByScope(notification.objects, scope);
    if (refused.length) {
      await this.reject(message, `${refused.length} of ${notification.objects.length} objects refused: ${refused.join('; ')}`);
    }
    if (trusted.length === 0) {
      return 'delete';
    }
    if (backfill?.state === 'cancelled') {
      return this.cancelled(message, backfill, trusted);
    }
    if (this.liveGroups && binding.kind === 'live' && !backfill && trusted.length === 1 && LiveGroups.joins(trusted[0])) {
      const result = await this.liveGroups.ingest(binding.source, trusted[0], signal);
      return this.disposition(message, backfillId, backfill, result, signal);
    }
    const result = await ingestUnit(
      { source: binding.source, objects: trusted, backfillId, queue: binding.kind },
      {
        ...this.unitOptions(binding.kind, backfill, message.pulledForward ? this.laneReads : this.reads[binding.kind]),
        mayRead: message.liveFirst,
      },
      signal
    );
    return this.disposition(message, backfillId, backfill, result, signal);
  }

  /** How the objects of a kind of queue (and of a backfill) are read, inserted and recorded. */
  private unitOptions(kind: QueueKind, backfill: MessageBackfill | undefined, reads: Semaphore): UnitOptions {
    const { ingest, log } = this.opts;
    return {
      store: this.opts.store,
      ledger: this.opts.ledger,
      aws: this.opts.backfills.awsFor(backfill),
      log,
      limits: { maxBytes: ingest.maxObjectBytes, maxRecords: ingest.maxObjectRecords },
      reads,
      bounds: { rows: ingest.insertBatchRows, weight: BLOCK_WEIGHT },
      settled: (outcomes) => this.settled(outcomes, backfill),
      stillWanted: backfill ? async () => (await this.opts.backfills.backfill(backfill.id))?.state !== 'cancelled' : undefined,
      inserted: (rows) => this.opts.inserts?.record(kind, rows),
    };
  }

  private async disposition(
    message: QueueMessage,
    backfillId: string,
    backfill: MessageBackfill | undefined,
    result: UnitResult,
    signal: AbortSignal
  ): Promise<Disposition> {
    const { binding } = message;
    if (result.kind === 'done') {
      return 'delete';
    }
    if (result.kind === 'stopped') {
      return this.cancelled(message, backfill!, result.unsettled);
    }
    const fields = {
      queue: binding.url,
      source: binding.source.id,
      messageId: message.id,
      receives: message.receiveCount,
      key: result.object.key,
      err: result.reason,
    };
    const rest = result.unsettled.filter((ref) => ref !== result.object);
    if (signal.aborted || rest.length === 0 || message.receiveCount < SPLIT_AFTER_RECEIVES) {
      this.opts.log.error({ ...fields, unsettled: result.unsettled.length }, 'ingest failed; the message stays on the queue for redelivery');
      return 'retry';
    }
    this.opts.log.error(
      { ...fields, requeued: rest.length, retryInSeconds: RETRY_ALONE_DELAY_SECONDS },
      'an object keeps failing; it goes back to the queue alone, the rest of the message as a new one'
    );
    const limits = { maxRecords: 1000, maxObjectBytes: Number.MAX_SAFE_INTEGER };
    return {
      requeue: [
        ...packNotifications([notified(result.object)], backfillId, limits).map((body) => ({ body, delaySeconds: RETRY_ALONE_DELAY_SECONDS })),
        ...packNotifications(rest.map(notified), backfillId, limits).map((body) => ({ body })),
      ],
    };
  }

  /** A cancelled backfill's objects are dropped and counted as cancelled. */
  private async cancelled(message: QueueMessage, backfill: MessageBackfill, objects: ObjectRef[]): Promise<Disposition> {
    await this.opts.backfills.cancelled(backfill.id, objects);
    this.opts.log.info({ queue: message.binding.url, backfill: backfill.id, objects: objects.length }, 'backfill cancelled; message dropped');
    return 'delete';
  }

  private async settled(outcomes: SettledObject[], backfill: MessageBackfill | undefined): Promise<void> {
    outcomes.forEach((outcome) => this.logOutcome(outcome));
    if (backfill) {
      await Promise.all(
        outcomes.map((outcome) => {
          failpoint('while-consuming');
          return this.opts.backfills.handled(backfill.id, { entry: outcome.entry, duplicate: outcome.kind === 'skipped' && outcome.duplicate });
        })
      );
    }
  }

  private logOutcome(outcome: SettledObject): void {
    const { entry } = outcome;
    const fields = { source: entry.sourceId, bucket: entry.bucket, key: entry.key, status: entry.status, events: entry.events, malformed: entry.malformed };
    if (outcome.kind === 'skipped' && outcome.duplicate) {
      this.opts.log.info(fields, 'object already ingested; message dropped');
    } else if (outcome.kind === 'failed') {
      this.opts.log.warn({ ...fields, reason: entry.error }, 'object failed');
    } else {
      this.opts.log.info({ ...fields, reason: entry.error || undefined }, outcome.kind === 'skipped' ? 'object skipped' : 'object ingested');
    }
  }

  /** Records a message (or the objects of one) that is not read, with why, for the API's rejected messages. */
  private async reject(message: QueueMessage, reason: string): Promise<void> {
    const { binding } = message;
    this.opts.log.warn({ queue: binding.url, source: binding.source.id, messageId: message.id, reason }, 'rejected message');
    await this.opts.store.recordRejected({
      sourceId: binding.source.id,
      queue: binding.url,
      messageId: message.id,
      reason: reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS)}…` : reason,
      body: message.body.slice(0, BODY_SAMPLE_CHARS),
      receivedAt: new Date().toISOString(),
    });
  }
}

/** An object of a message, as a record of a new notification. */
function notified(ref: ObjectRef): NotifiedObject {
  return { bucket: ref.bucket, key: ref.key, size: ref.size, etag: ref.etag, region: ref.region, time: Date.parse(ref.eventTime) || 0 };
}
