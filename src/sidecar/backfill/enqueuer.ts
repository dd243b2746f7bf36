import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS limits of one SendMessageBatch call. */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

const ATTEMPTS = 5;
const SEND_CONCURRENCY = 4;
const SEND_TIMEOUT_MS = 30_000;

export class EnqueueError extends Error {}

/** Message bodies grouped for SendMessageBatch: at most 10 per call and 256 KB in all, order kept. */
export function batchesOf(bodies: string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (size > MAX_BATCH_BYTES) {
      throw new EnqueueError(`a message of ${size} bytes is over the SQS limit of ${MAX_BATCH_BYTES}`);
    }
    if (current.length === MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length) {
    out.push(current);
  }
  return out;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends messages to one queue with SendMessageBatch, retrying the entries SQS reports failed. */
export class Enqueuer {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly signal?: AbortSignal
  ) {}

  /**
   * Sends every body, a few batches at a time in order of the batches, or `inOrder` one batch
   * after the other (the queue then holds them in this order, as far as SQS keeps one); throws
   * when one cannot be sent.
   */
  async send(bodies: string[], options: { inOrder?: boolean } = {}): Promise<void> {
    const pending = batchesOf(bodies);
    const worker = async () => {
      for (let batch = pending.shift(); batch; batch = pending.shift()) {
        await this.sendBatch(batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.inOrder ? 1 : SEND_CONCURRENCY, pending.length) }, worker));
  }

  private async sendBatch(bodies: string[]): Promise<void> {
    let entries = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      this.signal?.throwIfAborted();
      // A signal of its own per call, bounded in time: the SDK's abort listener goes on it and not
      // on the listing's, which the 4 listers × 4 sends at a time would otherwise pile up on.
      const timeout = AbortSignal.timeout(SEND_TIMEOUT_MS);
      const abortSignal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
      const response = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }), { abortSignal });
      const failed = response.Failed ?? [];
      const fatal = failed.find((f) => f.SenderFault);
      if (fatal) {
        throw new EnqueueError(`SQS refused a backfill message for ${this.queueUrl}: ${fatal.Code}: ${fatal.Message ?? ''}`);
      }
      if (failed.length && attempt >= ATTEMPTS) {
        throw new EnqueueError(`SQS kept failing ${failed.length} backfill messages for ${this.queueUrl}: ${failed[0].Code}: ${failed[0].Message ?? ''}`);
      }
      const retry = new Set(failed.map((f) => f.Id));
      entries = entries.filter((e) => retry.has(e.Id));
      if (entries.length) {
        await pause(100 * 2 ** attempt);
      }
    }
  }
}
