import type { Source } from '../../shared/api';
import { regionOfQueueUrl } from '../aws/clients';
import { failpoint } from '../failpoints';
import { errorMessage, type Logger } from '../log';
import type { QueueBinding } from '../queue/bindings';
import type { FirstGate } from '../queue/firstGate';
import type { MessageHandler, QueueMessage } from '../queue/message';
import type { BucketReader } from './bucketReader';
import type { BackfillDirectory } from './directory';
import { PRIORITY_BOUNDS } from './priorityBounds';
import { wantedMessages, type WantedMessage } from './priorityPages';
import type { PriorityRecord, PriorityRepository } from './priorityRecord';
import type { PriorityStats } from './priorityStats';
import type { BackfillRecord } from './repository';
import type { Throughput } from './throughput';

const POLL_MS = 1000;

export interface PriorityLaneOptions {
  repo: PriorityRepository;
  directory: BackfillDirectory;
  sources: () => Source[];
  /** The backfill queue's handler of notifications: the lane's messages are ingested exactly as the queue's are. */
  handler: MessageHandler;
  bucket(record: BackfillRecord, signal: AbortSignal): BucketReader;
  /** Backfill-queue objects wait while lane messages are in flight (within the gate's fairness bound). */
  gate: FirstGate;
  /** Lane work waits for live work as backfill work does. */
  liveIdle(signal: AbortSignal): Promise<void>;
  throughput(): Promise<Throughput | undefined>;
  stats: PriorityStats;
  log: Logger;
  pageSize?: number;
}

/**
 * The priority lane of a sidecar with the ingest role: takes the requests to load hours first
 * (woken at once for those stored here, else finding them in the store within a second, after a
 * restart too), one after the other, oldest first; lists the pages that hold the hours' objects
 * (priorityPages.ts) and hands their messages, byte-identical to the backfill queue's, to the
 * same handler, as messages of the backfill queue that are not on it (nothing to delete). The
 * normal copy later finds the objects in the ledger; a copy handled at the same time inserts
 * the same blocks with the same tokens, which the store drops. Every sidecar works every
 * pending request it sees: the work is repeated, never the events.
 */
export class PriorityLane {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private started = false;
  private readonly stopping = new AbortController();
  /** Requests this sidecar is done with (or working on). */
  private readonly taken = new Set<string>();

  constructor(private readonly opts: PriorityLaneOptions) {}

  start(): void {
    this.started = true;
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Looks for requests now (a sidecar without the ingest role never starts its lane). */
  wake(): void {
    if (!this.started || this.stopping.signal.aborted) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const pending = (await this.opts.repo.pendingPriorities()).filter((r) => !this.taken.has(r.id));
        if (pending.length === 0 || this.stopping.signal.aborted) {
          return;
        }
        for (const request of pending) {
          this.taken.add(request.id);
          if (this.stopping.signal.aborted) {
            return;
          }
          await this.work(request).catch((err: unknown) => {
            // Not even its state could be written (the store is down): it is tried again at the next poll.
            this.taken.delete(request.id);
            throw err;
          });
        }
      }
    } catch (err) {
      if (!this.stopping.signal.aborted) {
        this.opts.log.warn({ err: errorMessage(err) }, 'cannot read the hours to load first');
      }
    }
  }

  private async work(request: PriorityRecord): Promise<void> {
    const { log } = this.opts;
    const where = { backfill: request.backfillId, request: request.id, from: new Date(request.from).toISOString(), to: new Date(request.to).toISOString() };
    const record = await this.opts.directory.get(request.backfillId, 0);
    const source = this.opts.sources().find((s) => s.id === record?.sourceId);
    if (!record || !['listing', 'running'].includes(record.state) || !source?.backfillQueueUrl) {
      const why = record ? `the backfill is ${record.state}` : 'the backfill no longer exists';
      await this.save(request, { state: 'dropped', note: source || !record ? why : `source ${record.sourceId} has no backfill queue` });
      return;
    }
    const binding: QueueBinding = {
      source,
      url: source.backfillQueueUrl,
      kind: 'backfill',
      region: regionOfQueueUrl(source.backfillQueueUrl) ?? source.region,
    };
    const signal = this.stopping.signal;
    try {
      const started = Date.now();
      await this.save(request, { state: 'loading' });
      const found = await wantedMessages(record, await this.opts.directory.repo.plan(record.id), request, {
        reader: this.opts.bucket(record, signal),
        repo: this.opts.directory.repo,
        log,
        signal,
        pageSize: this.opts.pageSize,
        maxPages: PRIORITY_BOUNDS.maxPages,
      });
      const { messages, budgetNote } = await this.withinBudget(found.messages);
      const notes = [...(found.cut ? [`cut: more than ${PRIORITY_BOUNDS.maxPages} pages to list for these hours`] : []), ...(budgetNote ? [budgetNote] : [])];
      const objects = messages.reduce((n, m) => n + m.wanted, 0);
      let done = 0;
      await this.save(request, { state: 'loading', objects, note: notes.join('; ') });
      log.info({ ...where, pages: found.pages, messages: messages.length, objects }, 'loading hours first');
      const cancelled = await this.ingest(request, messages, binding, async (m) => {
        done += m.wanted;
        await this.save(request, { state: 'loading', objects, objectsDone: done, note: notes.join('; ') });
      });
      if (cancelled) {
        await this.save(request, { state: 'dropped', objects, objectsDone: done, note: 'the backfill was cancelled' });
        return;
      }
      await this.save(request, { state: 'done', objects, objectsDone: done, note: notes.join('; ') });
      log.info({ ...where, objects, seconds: (Date.now() - started) / 1000 }, 'hours loaded first');
    } catch (err) {
      if (signal.aborted) {
        return;
      }
      log.warn({ ...where, err: errorMessage(err) }, 'cannot load hours first; the backfill loads them in its order');
      await this.save(request, { state: 'dropped', note: `failed: ${errorMessage(err).slice(0, 200)}` }).catch(() => undefined);
    }
  }

  /** Messages up to the bytes the sidecars ingest in PRIORITY_BOUNDS.budgetSeconds at the measured pace. */
  private async withinBudget(messages: WantedMessage[]): Promise<{ messages: WantedMessage[]; budgetNote?: string }> {
    const rate = await this.opts.throughput().catch(() => undefined);
    const budget = rate ? rate.bytesPerSecond * PRIORITY_BOUNDS.budgetSeconds : PRIORITY_BOUNDS.defaultBudgetBytes;
    let bytes = 0;
    const kept: WantedMessage[] = [];
    for (const m of messages) {
      if (kept.length > 0 && bytes + m.bytes > budget) {
        const mib = Math.round(budget / 1024 ** 2);
        return {
          messages: kept,
          budgetNote: `cut: ${messages.length - kept.length} of ${messages.length} messages left to the backfill's order (more than ${mib} MiB, about ${PRIORITY_BOUNDS.budgetSeconds} s of ingest)`,
        };
      }
      bytes += m.bytes;
      kept.push(m);
    }
    return { messages: kept };
  }

  /** Hands the messages to the handler, a few at once; resolves true when the backfill was cancelled meanwhile. */
  private async ingest(
    request: PriorityRecord,
    messages: WantedMessage[],
    binding: QueueBinding,
    finished: (m: WantedMessage) => Promise<void>
  ): Promise<boolean> {
    const queue = messages.map((m, i) => ({ m, i }));
    let cancelled = false;
    const worker = async () => {
      for (let next = queue.shift(); next && !cancelled && !this.stopping.signal.aborted; next = queue.shift()) {
        if ((await this.opts.directory.get(request.backfillId))?.state === 'cancelled') {
          cancelled = true;
          return;
        }
        const { m, i } = next;
        const message: QueueMessage = {
          binding,
          id: `${request.id}/${i}`,
          body: m.body,
          receiveCount: 1,
          attributes: {},
          liveFirst: (signal) => this.opts.liveIdle(signal),
          pulledForward: true,
        };
        this.opts.gate.enter();
        try {
          await this.opts.liveIdle(this.stopping.signal);
          const disposition = await this.opts.handler.handle(message, this.stopping.signal);
          if (disposition !== 'delete') {
            this.opts.log.info(
              { backfill: request.backfillId, request: request.id },
              'a message loaded first needs another try; its backfill-queue copy will do it'
            );
          }
        } finally {
          this.opts.gate.leave();
        }
        failpoint('while-loading-first');
        this.opts.stats.messages++;
        this.opts.stats.objectsWanted += m.wanted;
        this.opts.stats.objectsAlong += m.objects - m.wanted;
        await finished(m);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PRIORITY_BOUNDS.laneMessages, queue.length) }, worker));
    return cancelled;
  }

  private save(request: PriorityRecord, change: Partial<PriorityRecord>): Promise<void> {
    Object.assign(request, change);
    return this.opts.repo.savePriority({ ...request });
  }
}
