import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Source } from '../../shared/api';
import type { QueueBinding, QueueKind } from './bindings';

/**
 * For unit tests only: SQS queues in memory, answering ReceiveMessage (a long poll that ends
 * after a moment or at abort), DeleteMessageBatch and ChangeMessageVisibilityBatch like SQS, and
 * recording every call, so tests can assert what the source asked for.
 */
export class FakeSqs {
  readonly calls: Array<{ command: string; input: Record<string, unknown> }> = [];
  /** Receives that fail before any succeeds (a queue unreachable for a while). */
  failReceives = 0;
  private readonly waiting = new Map<string, Message[]>();
  private next = 0;

  /** Puts messages on a queue; returns their receipt handles. */
  put(url: string, ...bodies: string[]): string[] {
    const queue = this.waiting.get(url) ?? [];
    const handles = bodies.map((Body) => {
      const n = this.next++;
      queue.push({ MessageId: `m-${n}`, ReceiptHandle: `rh-${n}`, Body, Attributes: { ApproximateReceiveCount: '1' } });
      return `rh-${n}`;
    });
    this.waiting.set(url, queue);
    return handles;
  }

  /** The calls of one command, by input. */
  inputs<T = Record<string, unknown>>(command: string): T[] {
    return this.calls.filter((c) => c.command === command).map((c) => c.input as T);
  }

  /** Receipt handles deleted so far, over every batch. */
  deleted(): string[] {
    return this.inputs<{ Entries: Array<{ ReceiptHandle: string }> }>('DeleteMessageBatchCommand').flatMap((i) => i.Entries.map((e) => e.ReceiptHandle));
  }

  /** Visibility changes so far: handle and seconds. */
  visibilityChanges(): Array<{ handle: string; seconds: number }> {
    return this.inputs<{ Entries: Array<{ ReceiptHandle: string; VisibilityTimeout: number }> }>('ChangeMessageVisibilityBatchCommand').flatMap((i) =>
      i.Entries.map((e) => ({ handle: e.ReceiptHandle, seconds: e.VisibilityTimeout }))
    );
  }

  client(): SQSClient {
    return {
      send: (command: { constructor: { name: string }; input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }) =>
        this.send(command, options),
    } as unknown as SQSClient;
  }

  private async send(command: { constructor: { name: string }; input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const name = command.constructor.name;
    this.calls.push({ command: name, input: command.input });
    if (name === 'ReceiveMessageCommand') {
      if (this.failReceives > 0) {
        this.failReceives--;
        throw new Error('connect ECONNREFUSED');
      }
      const queue = this.waiting.get(String(command.input.QueueUrl)) ?? [];
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          const abort = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            options?.abortSignal?.removeEventListener('abort', abort);
            resolve();
          }, 20);
          options?.abortSignal?.addEventListener('abort', abort, { once: true });
        });
        options?.abortSignal?.throwIfAborted();
        return { Messages: [] };
      }
      return { Messages: queue.splice(0, Number(command.input.MaxNumberOfMessages ?? 1)) };
    }
    const entries = (command.input.Entries as Array<{ Id: string }>) ?? [];
    if (entries.length > 10) {
      throw new Error(`${name}: more than 10 entries`);
    }
    return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
  }
}

/** A binding of a test queue of this kind. */
export function testBinding(kind: QueueKind, url = `https://sqs.us-east-1.amazonaws.com/111122223333/${kind}`): QueueBinding {
  const source: Source = { id: 'trail', logType: 'cloudtrail', bucket: 'logs', region: 'us-east-1' };
  return { source, url, kind, region: 'us-east-1' };
}

/** Resolves once `check` holds, polling; fails after `timeoutMs` naming `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
