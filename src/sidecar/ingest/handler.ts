import type { IngestConfig } from '../config/types';
import { failpoint } from '../failpoints';
import type { Logger } from '../log';
import type { Disposition, MessageHandler, QueueMessage } from '../queue/message';
import type { Store } from '../store/store';
import type { BackfillBookkeeping } from './backfills';
import type { BatchedLedger } from './batchedLedger';
import { NotificationError, parseNotification } from './notifications';
import type { ObjectOutcome } from './outcome';
import { processObject } from './processObject';
import { partitionByScope, trustScope } from './trust';

const BODY_SAMPLE_CHARS = 2000;
const REASON_CHARS = 2000;

export interface NotificationHandlerOptions {
  store: Pick<Store, 'insertEvents' | 'recordRejected'>;
  ledger: BatchedLedger;
  backfills: BackfillBookkeeping;
  log: Logger;
  ingest: Pick<IngestConfig, 'insertBatchRows' | 'maxObjectBytes' | 'maxObjectRecords'>;
}

/**
 * What an S3 notification asks for: reads the message, keeps the objects its queue may name,
 * ingests them one after the other, and says what to do with the message. `delete` once every
 * object is final in the ledger, or when the message is not one to read (recorded in
 * rejected_messages); `retry` as soon as an object needs another try.
 */
export class NotificationHandler implements MessageHandler {
  constructor(private readonly opts: NotificationHandlerOptions) {}

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
    const backfill = notification.backfillId ? await this.opts.backfills.backfill(notification.backfillId) : undefined;
    const scope = trustScope(binding.source, notification.backfillId, backfill);
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
      await this.opts.backfills.cancelled(backfill.id, trusted);
      log.info({ queue: binding.url, backfill: backfill.id, objects: trusted.length }, 'backfill cancelled; message dropped');
      return 'delete';
    }
    const { ingest } = this.opts;
    const options = {
      store: this.opts.store,
      ledger: this.opts.ledger,
      aws: this.opts.backfills.awsFor(backfill),
      log,
      batchRows: ingest.insertBatchRows,
      limits: { maxBytes: ingest.maxObjectBytes, maxRecords: ingest.maxObjectRecords },
    };
    for (const ref of trusted) {
      const outcome = await processObject({ source: binding.source, ref, backfillId: notification.backfillId, queue: binding.kind }, options, signal);
      if (outcome.kind === 'retry') {
        log.error(
          { queue: binding.url, source: binding.source.id, messageId: message.id, receives: message.receiveCount, err: outcome.reason },
          'ingest failed; the message stays on the queue for redelivery'
        );
        return 'retry';
      }
      if (backfill) {
        failpoint('while-consuming');
        await this.opts.backfills.handled(backfill.id, { entry: outcome.entry, duplicate: outcome.kind === 'skipped' && outcome.duplicate });
      }
      this.logOutcome(binding.source.id, outcome);
    }
    return 'delete';
  }

  private logOutcome(sourceId: string, outcome: Exclude<ObjectOutcome, { kind: 'retry' }>): void {
    const { entry } = outcome;
    const fields = { source: sourceId, bucket: entry.bucket, key: entry.key, status: entry.status, events: entry.events, malformed: entry.malformed };
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
