import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../aws/clients';
import { LiveFirstGate } from '../queue/liveFirst';
import { BackfillTracker } from '../backfill/tracker';
import type { IngestConfig } from '../config/types';
import { failpoint } from '../failpoints';
import { errorMessage, type Logger } from '../log';
import type { Store } from '../store/store';
import { NotificationError, parseNotification } from './notifications';
import { pause } from '../queue/pause';
import { processObject } from './processObject';
import type { QueueBinding, QueueKind } from '../queue/bindings';
import { partitionByScope, trustScope } from './trust';
import { Semaphore } from '../concurrency/semaphore';
import { BatchedLedger } from './batchedLedger';

const BODY_SAMPLE_CHARS = 2000;
const REASON_CHARS = 2000;

interface InFlight {
  binding: QueueBinding;
  message: Message;
  abort: AbortController;
  done: Promise<void>;
}

export interface ConsumerOptions {
  store: Store;
  aws: AwsClients;
  log: Logger;
  ingest: IngestConfig;
}

/**
 * Long-polls every live and backfill queue and ingests what their notifications name, with a
 * separate concurrency budget per kind. A message is deleted only after its objects are in
 * the store and the ledger; a failure worth retrying leaves it for redelivery (and, after the
 * queue's maxReceiveCount, its dead-letter queue).
 */
export class Consumer {
  private readonly budgets: Record<QueueKind, Semaphore>;
  private readonly inFlight = new Set<InFlight>();
  private readonly polling = new AbortController();
  /** One poll loop per queue, keyed by the binding it serves; a changed source restarts its loops. */
  private readonly loops = new Map<string, { stop: AbortController; done: Promise<void> }>();
  /** Backfill work starts only while no live message is waiting or in flight. */
  private readonly liveFirst = new LiveFirstGate();
  private readonly backfills: BackfillTracker;
  private readonly ledger: BatchedLedger;

  constructor(private readonly opts: ConsumerOptions) {
    this.budgets = {
      live: new Semaphore(opts.ingest.liveConcurrency),
      backfill: new Semaphore(opts.ingest.backfillConcurrency),
    };
    this.backfills = new BackfillTracker(opts.store, opts.aws);
    this.ledger = new BatchedLedger(opts.store);
  }

  /** Polls exactly these queues from now on: starts new loops, stops those no longer wanted. */
  setBindings(bindings: QueueBinding[]): void {
    if (this.polling.signal.aborted) {
      return;
    }
    const wanted = new Map(bindings.map((b) => [JSON.stringify([b.kind, b.url, b.source]), b]));
    for (const [key, loop] of this.loops) {
      if (!wanted.has(key)) {
        loop.stop.abort();
        this.loops.delete(key);
      }
    }
    for (const [key, binding] of wanted) {
      if (!this.loops.has(key)) {
        const stop = new AbortController();
        const signal = AbortSignal.any([this.polling.signal, stop.signal]);
        this.loops.set(key, { stop, done: this.poll(binding, signal) });
      }
    }
  }

  /** Stops receiving, lets in-flight messages finish within the grace period, releases the rest. */
  async stop(graceMs = this.opts.ingest.shutdownGraceSeconds * 1000): Promise<void> {
    this.polling.abort();
    await Promise.allSettled([...this.loops.values()].map((loop) => loop.done));
    const pending = [...this.inFlight];
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    const finished = await Promise.race([Promise.allSettled(pending.map((p) => p.done)).then(() => 'done' as const), timer]);
    if (finished === 'timeout') {
      for (const item of this.inFlight) {
        item.abort.abort();
        await this.release(item.binding, item.message);
      }
      await Promise.allSettled([...this.inFlight].map((p) => p.done));
    }
  }

  private async poll(binding: QueueBinding, signal: AbortSignal): Promise<void> {
    const { log } = this.opts;
    const budget = this.budgets[binding.kind];
    const sqs = this.opts.aws.sqs(binding.region);
    let failures = 0;
    while (!signal.aborted) {
      if (binding.kind === 'backfill') {
        await this.liveFirst.idle(signal);
      }
      await budget.acquire();
      const wanted = Math.min(10, budget.free + 1);
      let messages: Message[] = [];
      try {
        const response = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: binding.url,
            MaxNumberOfMessages: wanted,
            WaitTimeSeconds: this.opts.ingest.waitTimeSeconds,
            VisibilityTimeout: this.opts.ingest.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: signal }
        );
        messages = response.Messages ?? [];
        failures = 0;
      } catch (err) {
        budget.release();
        if (signal.aborted) {
          break;
        }
        failures++;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        log.error({ queue: binding.url, source: binding.source.id, err: errorMessage(err), retryInMs: delay }, 'cannot receive from queue');
        await pause(delay, signal);
        continue;
      }
      if (binding.kind === 'live') {
        this.liveFirst.enter(messages.length);
      }
      // The slot taken before receiving goes to the first message; the others wait for theirs.
      for (let i = 0; i < messages.length; i++) {
        if (i > 0) {
          await budget.acquire();
        }
        if (binding.kind === 'backfill') {
          await this.liveFirst.idle(signal);
        }
        this.track(binding, messages[i], budget);
      }
      if (messages.length === 0) {
        budget.release();
      }
    }
  }

  private track(binding: QueueBinding, message: Message, budget: Semaphore): void {
    const abort = new AbortController();
    const item: InFlight = { binding, message, abort, done: Promise.resolve() };
    item.done = this.handle(binding, message, abort.signal)
      .catch((err) => this.opts.log.error({ err: errorMessage(err), queue: binding.url }, 'message handling failed'))
      .finally(() => {
        this.inFlight.delete(item);
        budget.release();
        if (binding.kind === 'live') {
          this.liveFirst.leave();
        }
      });
    this.inFlight.add(item);
  }

  private async handle(binding: QueueBinding, message: Message, signal: AbortSignal): Promise<void> {
    const { log, store } = this.opts;
    const body = message.Body ?? '';
    let notification;
    try {
      notification = parseNotification(body);
    } catch (err) {
      if (!(err instanceof NotificationError)) {
        throw err;
      }
      await this.reject(binding, message, err.message);
      await this.delete(binding, message);
      return;
    }
    if (notification.kind !== 'objects') {
      log.info({ queue: binding.url, kind: notification.kind, reason: 'reason' in notification ? notification.reason : 's3:TestEvent' }, 'message skipped');
      await this.delete(binding, message);
      return;
    }
    const backfill = notification.backfillId ? await this.backfills.backfill(notification.backfillId) : undefined;
    const scope = trustScope(binding.source, notification.backfillId, backfill);
    if ('refused' in scope) {
      await this.reject(binding, message, `the message ${scope.refused}: none of its ${notification.objects.length} objects is read`);
      await this.delete(binding, message);
      return;
    }
    const { trusted, refused } = partitionByScope(notification.objects, scope);
    if (refused.length) {
      await this.reject(binding, message, `${refused.length} of ${notification.objects.length} objects refused: ${refused.join('; ')}`);
    }
    if (trusted.length === 0) {
      await this.delete(binding, message);
      return;
    }
    if (backfill?.state === 'cancelled') {
      await this.backfills.cancelled(backfill.id, trusted);
      log.info({ queue: binding.url, backfill: backfill.id, objects: trusted.length }, 'backfill cancelled; message dropped');
      await this.delete(binding, message);
      return;
    }
    const heartbeat = this.keepInvisible(binding, message);
    try {
      for (const ref of trusted) {
        const outcome = await processObject(
          { source: binding.source, ref, backfillId: notification.backfillId, queue: binding.kind },
          {
            store,
            ledger: this.ledger,
            aws: this.backfills.awsFor(backfill),
            log,
            batchRows: this.opts.ingest.insertBatchRows,
            limits: { maxBytes: this.opts.ingest.maxObjectBytes, maxRecords: this.opts.ingest.maxObjectRecords },
          },
          signal
        );
        if (backfill) {
          failpoint('while-consuming');
          await this.backfills.handled(backfill.id, outcome);
        }
        const { entry } = outcome;
        const fields = { source: binding.source.id, bucket: ref.bucket, key: ref.key, status: entry.status, events: entry.events, malformed: entry.malformed };
        if (outcome.duplicate) {
          log.info(fields, 'object already ingested; message dropped');
        } else if (entry.status === 'failed') {
          log.warn({ ...fields, reason: entry.error }, 'object failed');
        } else {
          log.info({ ...fields, reason: entry.error || undefined }, entry.status === 'skipped' ? 'object skipped' : 'object ingested');
        }
      }
    } catch (err) {
      const receives = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
      log.error(
        { queue: binding.url, source: binding.source.id, messageId: message.MessageId, receives, err: errorMessage(err) },
        'ingest failed; the message stays on the queue for redelivery'
      );
      return;
    } finally {
      clearInterval(heartbeat);
    }
    await this.delete(binding, message);
  }

  /** Records a message (or the objects of one) that is not read, with why, for the API's rejected messages. */
  private async reject(binding: QueueBinding, message: Message, reason: string): Promise<void> {
    this.opts.log.warn({ queue: binding.url, source: binding.source.id, messageId: message.MessageId, reason }, 'rejected message');
    await this.opts.store.recordRejected({
      sourceId: binding.source.id,
      queue: binding.url,
      messageId: message.MessageId ?? '',
      reason: reason.length > REASON_CHARS ? `${reason.slice(0, REASON_CHARS)}…` : reason,
      body: (message.Body ?? '').slice(0, BODY_SAMPLE_CHARS),
      receivedAt: new Date().toISOString(),
    });
  }

  /** Extends the message's visibility while a large object is being read. */
  private keepInvisible(binding: QueueBinding, message: Message): NodeJS.Timeout {
    const seconds = this.opts.ingest.visibilityTimeoutSeconds;
    const timer = setInterval(
      () => {
        this.opts.aws
          .sqs(binding.region)
          .send(new ChangeMessageVisibilityCommand({ QueueUrl: binding.url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: seconds }))
          .catch((err) => this.opts.log.warn({ queue: binding.url, err: errorMessage(err) }, 'cannot extend message visibility'));
      },
      (seconds * 1000) / 2
    );
    timer.unref();
    return timer;
  }

  private async delete(binding: QueueBinding, message: Message): Promise<void> {
    await this.opts.aws.sqs(binding.region).send(new DeleteMessageCommand({ QueueUrl: binding.url, ReceiptHandle: message.ReceiptHandle }));
  }

  private async release(binding: QueueBinding, message: Message): Promise<void> {
    try {
      await this.opts.aws
        .sqs(binding.region)
        .send(new ChangeMessageVisibilityCommand({ QueueUrl: binding.url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
    } catch (err) {
      this.opts.log.warn({ queue: binding.url, err: errorMessage(err) }, 'cannot release message');
    }
  }
}
