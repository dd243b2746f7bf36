import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GroupCommit } from '../concurrency/groupCommit';
import { errorMessage, type Logger } from '../log';
import type { QueueBinding } from './bindings';

/** The most entries SQS takes in one DeleteMessageBatch or ChangeMessageVisibilityBatch. */
export const MAX_ACK_ENTRIES = 10;
/** How long the first ack after a quiet spell waits for others of its queue. */
const ACK_LINGER_MS = 20;

interface VisibilityChange {
  receiptHandle: string;
  seconds: number;
}

/** Failed entries of a batch call, for the log: SQS answers per entry. */
type Failed = Array<{ Id?: string; Code?: string; Message?: string }> | undefined;

/** The deletes and visibility changes of one queue, sent in batches. */
class QueueAcks {
  readonly deletes: GroupCommit<string>;
  readonly visibility: GroupCommit<VisibilityChange>;

  constructor(sqs: SQSClient, binding: QueueBinding, log: Logger) {
    const failed = (what: string, entries: Failed) => {
      if (entries?.length) {
        log.warn({ queue: binding.url, failed: entries.length, code: entries[0].Code, reason: entries[0].Message }, `cannot ${what} some messages`);
      }
    };
    this.deletes = new GroupCommit(
      async (handles) => {
        const response = await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: binding.url, Entries: handles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle })) })
        );
        failed('delete', response.Failed);
      },
      { maxItems: MAX_ACK_ENTRIES, lingerMs: ACK_LINGER_MS }
    );
    this.visibility = new GroupCommit(
      async (changes) => {
        const response = await sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: binding.url,
            Entries: changes.map((c, i) => ({ Id: String(i), ReceiptHandle: c.receiptHandle, VisibilityTimeout: c.seconds })),
          })
        );
        failed('change the visibility of', response.Failed);
      },
      { maxItems: MAX_ACK_ENTRIES, lingerMs: ACK_LINGER_MS }
    );
  }
}

/**
 * What the source tells SQS about the messages it received, batched per queue: up to 10 deletes
 * (or visibility changes) in one call, the acks of messages finished meanwhile sharing it. A
 * delete that fails leaves the message to come back, which ingest absorbs (ledger, dedup tokens).
 */
export class Acks {
  private readonly queues = new Map<string, QueueAcks>();

  constructor(
    private readonly sqs: (region: string) => SQSClient,
    private readonly log: Logger
  ) {}

  delete(binding: QueueBinding, receiptHandle: string): Promise<void> {
    return this.of(binding).deletes.add([receiptHandle]);
  }

  /** Makes the message invisible for `seconds` more from now; 0 gives it back to the queue. */
  changeVisibility(binding: QueueBinding, receiptHandle: string, seconds: number): Promise<void> {
    return this.of(binding).visibility.add([{ receiptHandle, seconds }]);
  }

  /** Logs, and swallows, an ack that could not be sent: the message comes back, and ingest absorbs a second delivery. */
  warnOnFailure(binding: QueueBinding, what: string, ack: Promise<void>): Promise<void> {
    return ack.catch((err) => this.log.warn({ queue: binding.url, err: errorMessage(err) }, `cannot ${what}`));
  }

  private of(binding: QueueBinding): QueueAcks {
    const key = `${binding.region} ${binding.url}`;
    let acks = this.queues.get(key);
    if (!acks) {
      acks = new QueueAcks(this.sqs(binding.region), binding, this.log);
      this.queues.set(key, acks);
    }
    return acks;
  }
}
