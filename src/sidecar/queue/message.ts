import type { QueueBinding } from './bindings';

/** One message received from a queue, as a handler sees it. */
export interface QueueMessage {
  /** The queue it came from: its kind, URL, region and source. */
  binding: QueueBinding;
  id: string;
  body: string;
  /** How often SQS handed it out, this time included (ApproximateReceiveCount). */
  receiveCount: number;
  /** Its SQS message attributes that hold text. */
  attributes: Readonly<Record<string, string>>;
  /**
   * Resolves once the handler may start more of this message's work (or the signal aborts): at
   * once on a live queue, and on the others once no live message is in flight, so a message of
   * many objects lets a live one go first as a message of one would. Absent: at once.
   */
  liveFirst?: (signal: AbortSignal) => Promise<void>;
  /**
   * A backfill message the priority lane ingests ahead of the queue (it is on no queue): its
   * objects are read with the lane's own share of reads, so a backfill object waiting for its
   * turn with a read slot taken never holds up the lane.
   */
  pulledForward?: boolean;
}

/**
 * What the source does with a message once its handler is done ("ack after flush"): the handler
 * resolves only after what the message asked for is durably stored, or known to be never.
 * - `delete`: done; DeleteMessage.
 * - `retry`: leave it; it comes back after its visibility timeout, and after the queue's
 *   maxReceiveCount goes to its dead-letter queue.
 * - `release`: give it back now (visibility 0), for this or another sidecar to take.
 * - `{ requeue }`: send these messages to the same queue, then delete this one: what is left of
 *   its work goes on as new messages (each with its own receive count and dead-letter queue).
 *   When they cannot be sent, the message is left as for `retry`.
 */
export type Disposition = 'delete' | 'retry' | 'release' | Requeue;

export interface Requeue {
  requeue: Array<{ body: string; delaySeconds?: number }>;
}

/** Works on one message. Resolves with its disposition; a rejection counts as `retry`. */
export interface MessageHandler {
  handle(message: QueueMessage, signal: AbortSignal): Promise<Disposition>;
}
