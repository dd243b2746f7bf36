import { createLogger } from '../log';
import type { Disposition, MessageHandler, QueueMessage } from './message';
import { SqsSource, type SqsSourceOptions } from './sqsSource';
import { FakeSqs, testBinding, until } from './testing';

const log = createLogger('silent');
const live = testBinding('live');
const backfill = testBinding('backfill');

/** A handler that records what it got and answers what `answer` says, when it says. */
class ScriptedHandler implements MessageHandler {
  readonly seen: QueueMessage[] = [];
  constructor(private readonly answer: (message: QueueMessage, signal: AbortSignal) => Promise<Disposition> = async () => 'delete') {}
  handle(message: QueueMessage, signal: AbortSignal): Promise<Disposition> {
    this.seen.push(message);
    return this.answer(message, signal);
  }
}

/** A handler's answer held until the test lets it go, or the source aborts it (then `retry`). */
function heldUntil(release: Promise<void>): (message: QueueMessage, signal: AbortSignal) => Promise<Disposition> {
  return (_message, signal) =>
    new Promise((resolve) => {
      void release.then(() => resolve('delete'));
      signal.addEventListener('abort', () => resolve('retry'));
    });
}

function source(sqs: FakeSqs, handlers: Partial<SqsSourceOptions['handlers']>, overrides: Partial<SqsSourceOptions> = {}): SqsSource {
  const none = new ScriptedHandler();
  return new SqsSource({
    sqs: () => sqs.client(),
    handlers: { live: handlers.live ?? none, backfill: handlers.backfill ?? none },
    concurrency: { live: 4, backfill: 4 },
    waitTimeSeconds: 20,
    visibilityTimeoutSeconds: 300,
    log,
    ...overrides,
  });
}

describe('the SQS source', () => {
  it('receives with a long poll and hands each message to its handler, with what SQS said of it', async () => {
    const sqs = new FakeSqs();
    sqs.put(live.url, 'first', 'second');
    const handler = new ScriptedHandler();
    const consumer = source(sqs, { live: handler });
    consumer.setBindings([live]);
    await until(() => handler.seen.length === 2, 'both messages handled');
    await consumer.stop(1000);

    expect(handler.seen.map((m) => [m.body, m.id, m.receiveCount, m.binding.kind])).toEqual([
      ['first', 'm-0', 1, 'live'],
      ['second', 'm-1', 1, 'live'],
    ]);
    const receive = sqs.inputs('ReceiveMessageCommand')[0];
    expect(receive).toMatchObject({
      QueueUrl: live.url,
      WaitTimeSeconds: 20,
      VisibilityTimeout: 300,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    // Never more than the budget has room for (4 slots, the first taken before the receive).
    expect(sqs.inputs<{ MaxNumberOfMessages: number }>('ReceiveMessageCommand').every((r) => r.MaxNumberOfMessages <= 4)).toBe(true);
  });

  it('deletes what its handlers finished in batches of at most 10, and leaves what they want retried', async () => {
    const sqs = new FakeSqs();
    const bodies = Array.from({ length: 25 }, (_, i) => (i % 5 === 0 ? `retry-${i}` : `done-${i}`));
    const handles = sqs.put(live.url, ...bodies);
    const handler = new ScriptedHandler(async (m) => (m.body.startsWith('retry') ? 'retry' : 'delete'));
    const consumer = source(sqs, { live: handler }, { concurrency: { live: 10, backfill: 1 } });
    consumer.setBindings([live]);
    await until(() => sqs.deleted().length === 20, '20 deletes');
    await consumer.stop(1000);

    const wanted = handles.filter((_, i) => i % 5 !== 0);
    expect([...sqs.deleted()].sort()).toEqual([...wanted].sort());
    const batches = sqs.inputs<{ Entries: unknown[] }>('DeleteMessageBatchCommand');
    expect(batches.every((b) => b.Entries.length <= 10)).toBe(true);
    // Messages finished together share a call.
    expect(batches.length).toBeLessThan(20);
    expect(sqs.visibilityChanges()).toEqual([]);
  });

  it('keeps a message invisible while its handler works, and stops once it is done', async () => {
    const sqs = new FakeSqs();
    const [handle] = sqs.put(live.url, 'large object');
    let finish!: () => void;
    const handler = new ScriptedHandler(heldUntil(new Promise((resolve) => (finish = resolve))));
    // A heartbeat every half visibility timeout: 50 ms here.
    const consumer = source(sqs, { live: handler }, { visibilityTimeoutSeconds: 0.1 });
    consumer.setBindings([live]);
    await until(() => sqs.visibilityChanges().length >= 2, 'two heartbeats');
    expect(sqs.visibilityChanges().every((c) => c.handle === handle && c.seconds === 0.1)).toBe(true);

    finish();
    await until(() => sqs.deleted().length === 1, 'the delete');
    const beats = sqs.visibilityChanges().length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sqs.visibilityChanges().length).toBe(beats);
    await consumer.stop(1000);
  });

  it('at shutdown, lets handlers finish within the grace period, then gives the rest back to the queue', async () => {
    const sqs = new FakeSqs();
    const [quick, slow] = sqs.put(live.url, 'quick', 'slow');
    const handler = new ScriptedHandler(async (m, signal) => (m.body === 'quick' ? 'delete' : heldUntil(new Promise(() => undefined))(m, signal)));
    const consumer = source(sqs, { live: handler });
    consumer.setBindings([live]);
    await until(() => handler.seen.length === 2 && sqs.deleted().length === 1, 'both received, the quick one deleted');

    await consumer.stop(100);
    expect(sqs.deleted()).toEqual([quick]);
    expect(sqs.visibilityChanges()).toEqual([{ handle: slow, seconds: 0 }]);
    // Stopped: no receive after the stop.
    const receives = sqs.inputs('ReceiveMessageCommand').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sqs.inputs('ReceiveMessageCommand').length).toBe(receives);
  });

  it('takes backfill work only while no live message is in flight', async () => {
    const sqs = new FakeSqs();
    sqs.put(live.url, 'live');
    let finishLive!: () => void;
    const liveHandler = new ScriptedHandler(heldUntil(new Promise((resolve) => (finishLive = resolve))));
    const backfillHandler = new ScriptedHandler();
    const consumer = source(sqs, { live: liveHandler, backfill: backfillHandler });
    consumer.setBindings([live]);
    await until(() => liveHandler.seen.length === 1, 'the live message');
    sqs.put(backfill.url, 'backfill-1', 'backfill-2');
    consumer.setBindings([live, backfill]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backfillHandler.seen).toEqual([]);

    finishLive();
    await until(() => backfillHandler.seen.length === 2, 'the backfill messages');
    await consumer.stop(1000);
  });

  it('keeps polling after a receive fails, and counts a handler that throws as a retry', async () => {
    const sqs = new FakeSqs();
    sqs.failReceives = 1;
    sqs.put(live.url, 'boom', 'fine');
    const handler = new ScriptedHandler(async (m) => {
      if (m.body === 'boom') {
        throw new Error('handler bug');
      }
      return 'delete';
    });
    const consumer = source(sqs, { live: handler });
    consumer.setBindings([live]);
    await until(() => sqs.deleted().length === 1, 'the delete of the good message', 15_000);
    await consumer.stop(1000);
    expect(handler.seen.map((m) => m.body)).toEqual(['boom', 'fine']);
    expect(sqs.deleted()).toEqual(['rh-1']);
    expect(sqs.visibilityChanges()).toEqual([]);
  });
});
