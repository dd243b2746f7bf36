import { ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { Semaphore } from '../concurrency/semaphore';
import { errorMessage, type Logger } from '../log';
import { Acks } from './acks';
import type { QueueBinding, QueueKind } from './bindings';
import { FirstGate } from './firstGate';
import type { Disposition, MessageHandler, QueueMessage, Requeue } from './message';
import { pause } from './pause';

/** The most messages one ReceiveMessage returns. */
const MAX_RECEIVE = 10;

export interface SqsSourceOptions {
  /** The SQS client of a region (AwsClients.sqs). */
  sqs: (region: string) => SQSClient;
  /** Who works on the messages of each kind of queue. */
  handlers: Record<QueueKind, MessageHandler>;
  /** Messages of each kind in flight at most. */
  concurrency: Record<QueueKind, number>;
  /** Long-poll wait of a receive. */
  waitTimeSeconds: number;
  /** How long a received message stays invisible; the heartbeat extends it every half of this. */
  visibilityTimeoutSeconds: number;
  log: Logger;
  /** Work pulled forward (the priority lane): each backfill object waits for it, within its fairness bound. */
  laneFirst?: FirstGate;
}

interface InFlight {
  message: QueueMessage;
  receiptHandle: string;
  abort: AbortController;
  done: Promise<void>;
  /** Given back at shutdown: its handler's `retry` or `release` needs nothing more. */
  released: boolean;
}

/**
 * The queue side of ingest, apart from what a message means: long-polls every bound queue, one
 * concurrency budget per kind of queue, backfill work only while no live message waits (live
 * first), a receive that fails retried with backoff, the visibility of every message in flight
 * extended by one heartbeat, and the handler's disposition carried out with batched deletes and
 * visibility changes (acks.ts). The source never deletes a message its handler did not finish.
 */
export class SqsSource {
  private readonly budgets: Record<QueueKind, Semaphore>;
  private readonly inFlight = new Set<InFlight>();
  /** Acks sent after their handlers finished, awaited at stop. */
  private readonly acking = new Set<Promise<void>>();
  private readonly polling = new AbortController();
  /** One poll loop per queue, keyed by the binding it serves; a changed source restarts its loops. */
  private readonly loops = new Map<string, { stop: AbortController; done: Promise<void> }>();
  /** Work of every other kind waits while a live message is in flight. */
  private readonly liveFirst = new FirstGate();
  private readonly acks: Acks;
  private heartbeat?: NodeJS.Timeout;

  constructor(private readonly opts: SqsSourceOptions) {
    this.budgets = Object.fromEntries(Object.entries(opts.concurrency).map(([kind, size]) => [kind, new Semaphore(size)])) as Record<QueueKind, Semaphore>;
    this.acks = new Acks(opts.sqs, opts.log);
  }

  /** Polls exactly these queues from now on: starts new loops, stops those no longer wanted. */
  setBindings(bindings: QueueBinding[]): void {
    if (this.polling.signal.aborted) {
      return;
    }
    this.heartbeat ??= setInterval(() => this.extendVisibility(), (this.opts.visibilityTimeoutSeconds * 1000) / 2).unref();
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

  /** Messages of each kind this sidecar works on now (its budget's share in use). */
  messagesInFlight(): Record<QueueKind, number> {
    const counts = Object.fromEntries(Object.keys(this.budgets).map((kind) => [kind, 0])) as Record<QueueKind, number>;
    for (const item of this.inFlight) {
      counts[item.message.binding.kind]++;
    }
    return counts;
  }

  /** Resolves once no live message is in flight: work outside the queues (the priority lane) waits for live work too. */
  liveIdle(signal: AbortSignal): Promise<void> {
    return this.liveFirst.idle(signal);
  }

  /** Live first, then the priority lane, then the backfill queue's object. */
  private async backfillTurn(signal: AbortSignal): Promise<void> {
    await this.liveFirst.idle(signal);
    if (this.opts.laneFirst && this.opts.laneFirst.inFlight > 0) {
      await this.opts.laneFirst.idle(signal);
      await this.liveFirst.idle(signal);
    }
  }

  /** Stops receiving, lets in-flight messages finish within the grace period, gives the rest back to their queues. */
  async stop(graceMs: number): Promise<void> {
    this.polling.abort();
    await Promise.allSettled([...this.loops.values()].map((loop) => loop.done));
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    const finished = await Promise.race([Promise.allSettled([...this.inFlight].map((p) => p.done)).then(() => 'done' as const), timer]);
    clearInterval(this.heartbeat);
    if (finished === 'timeout') {
      const left = [...this.inFlight];
      left.forEach((item) => {
        item.released = true;
        item.abort.abort();
      });
      await Promise.all(left.map((item) => this.acks.warnOnFailure(item.message.binding, 'release message', this.release(item))));
      await Promise.allSettled(left.map((p) => p.done));
    }
    await Promise.allSettled([...this.acking]);
  }

  private async poll(binding: QueueBinding, signal: AbortSignal): Promise<void> {
    const budget = this.budgets[binding.kind];
    const sqs = this.opts.sqs(binding.region);
    let failures = 0;
    while (!signal.aborted) {
      if (binding.kind !== 'live') {
        await this.liveFirst.idle(signal);
      }
      await budget.acquire();
      let messages: Message[] = [];
      try {
        const response = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: binding.url,
            MaxNumberOfMessages: Math.min(MAX_RECEIVE, budget.free + 1),
            WaitTimeSeconds: this.opts.waitTimeSeconds,
            VisibilityTimeout: this.opts.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            MessageAttributeNames: ['All'],
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
        this.opts.log.error({ queue: binding.url, source: binding.source.id, err: errorMessage(err), retryInMs: delay }, 'cannot receive from queue');
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
        if (binding.kind !== 'live') {
          await this.liveFirst.idle(signal);
        }
        this.track(binding, messages[i], budget);
      }
      if (messages.length === 0) {
        budget.release();
      }
    }
  }

  private track(binding: QueueBinding, received: Message, budget: Semaphore): void {
    const message: QueueMessage = {
      ...toQueueMessage(binding, received),
      liveFirst: (signal) => (binding.kind === 'live' ? Promise.resolve() : this.backfillTurn(signal)),
    };
    const item: InFlight = { message, receiptHandle: received.ReceiptHandle ?? '', abort: new AbortController(), done: Promise.resolve(), released: false };
    item.done = this.handle(item).finally(() => {
      this.inFlight.delete(item);
      budget.release();
      if (binding.kind === 'live') {
        this.liveFirst.leave();
      }
    });
    this.inFlight.add(item);
  }

  private async handle(item: InFlight): Promise<void> {
    const { binding } = item.message;
    let disposition: Disposition;
    try {
      disposition = await this.opts.handlers[binding.kind].handle(item.message, item.abort.signal);
    } catch (err) {
      this.opts.log.error({ err: errorMessage(err), queue: binding.url, messageId: item.message.id }, 'message handling failed');
      disposition = 'retry';
    }
    const ack = this.settle(item, disposition);
    this.acking.add(ack);
    void ack.finally(() => this.acking.delete(ack));
  }

  /** Carries out a handler's disposition (in the background: the next message need not wait for a batch to fill). */
  private settle(item: InFlight, disposition: Disposition): Promise<void> {
    const { binding } = item.message;
    if (typeof disposition === 'object') {
      return this.requeue(item, disposition).then(
        () => this.acks.warnOnFailure(binding, 'delete message', this.acks.delete(binding, item.receiptHandle)),
        (err: unknown) =>
          this.opts.log.warn(
            { queue: binding.url, messageId: item.message.id, err: errorMessage(err) },
            'cannot requeue the rest of a message; it stays for redelivery'
          )
      );
    }
    if (disposition === 'delete') {
      return this.acks.warnOnFailure(binding, 'delete message', this.acks.delete(binding, item.receiptHandle));
    }
    if (disposition === 'release' && !item.released) {
      return this.acks.warnOnFailure(binding, 'release message', this.release(item));
    }
    return Promise.resolve();
  }

  /** Sends the messages that carry on a message's work to its queue, one after the other (a rare path: a message split around an object that keeps failing). */
  private async requeue(item: InFlight, { requeue }: Requeue): Promise<void> {
    const { binding } = item.message;
    const sqs = this.opts.sqs(binding.region);
    for (const { body, delaySeconds } of requeue) {
      await sqs.send(new SendMessageCommand({ QueueUrl: binding.url, MessageBody: body, DelaySeconds: delaySeconds }), {
        abortSignal: AbortSignal.timeout(30_000),
      });
    }
  }

  private release(item: InFlight): Promise<void> {
    return this.acks.changeVisibility(item.message.binding, item.receiptHandle, 0);
  }

  /** Keeps every message in flight invisible for another visibility timeout (a large object takes long). */
  private extendVisibility(): void {
    for (const item of this.inFlight) {
      if (!item.released) {
        const { binding } = item.message;
        void this.acks.warnOnFailure(
          binding,
          'extend message visibility',
          this.acks.changeVisibility(binding, item.receiptHandle, this.opts.visibilityTimeoutSeconds)
        );
      }
    }
  }
}

function toQueueMessage(binding: QueueBinding, message: Message): QueueMessage {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) {
      attributes[name] = value.StringValue;
    }
  }
  return {
    binding,
    id: message.MessageId ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    attributes,
  };
}
