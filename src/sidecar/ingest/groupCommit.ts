export interface GroupCommitOptions<T> {
  /** Most items in one write; a single add larger than this is written alone. */
  maxItems: number;
  maxBytes: number;
  sizeOf(item: T): number;
  /** How long the first add after a quiet spell waits for company before it is written. */
  lingerMs: number;
  /** Adders wait in `room()` while this many items are queued and not yet being written. */
  maxQueuedItems: number;
}

interface Ticket<T> {
  items: T[];
  bytes: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Writes what several concurrent producers add in as few writes as possible: one write runs at
 * a time, and whatever was added meanwhile goes into the next one. Each add resolves when the
 * write that carried its items succeeded, and rejects with that write's error.
 *
 * chDB runs one statement at a time, and each insert makes a part that merges rewrite later, so
 * the ledger rows or lookups of all objects in flight go best in one statement.
 */
export class GroupCommit<T> {
  private queue: Array<Ticket<T>> = [];
  private queuedItems = 0;
  private queuedBytes = 0;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  private roomWaiters: Array<() => void> = [];

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly opts: GroupCommitOptions<T>
  ) {}

  add(items: T[]): Promise<void> {
    if (items.length === 0) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const bytes = items.reduce((sum, item) => sum + this.opts.sizeOf(item), 0);
      this.queue.push({ items, bytes, resolve, reject });
      this.queuedItems += items.length;
      this.queuedBytes += bytes;
      this.schedule();
    });
  }

  /** Resolves once the queue has room for more, so a large object cannot fill memory. */
  async room(): Promise<void> {
    while (this.queuedItems >= this.opts.maxQueuedItems) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  private schedule(): void {
    if (this.writing) {
      return;
    }
    if (this.queuedItems >= this.opts.maxItems || this.queuedBytes >= this.opts.maxBytes) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.opts.lingerMs);
    }
  }

  private async drain(): Promise<void> {
    if (this.writing) {
      return;
    }
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.take();
      try {
        await this.write(batch.flatMap((ticket) => ticket.items));
        batch.forEach((ticket) => ticket.resolve());
      } catch (err) {
        batch.forEach((ticket) => ticket.reject(err));
      }
    }
    this.writing = false;
  }

  private take(): Array<Ticket<T>> {
    const batch: Array<Ticket<T>> = [];
    let items = 0;
    let bytes = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (batch.length > 0 && (items + next.items.length > this.opts.maxItems || bytes + next.bytes > this.opts.maxBytes)) {
        break;
      }
      batch.push(this.queue.shift()!);
      items += next.items.length;
      bytes += next.bytes;
    }
    this.queuedItems -= items;
    this.queuedBytes -= bytes;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    waiters.forEach((wake) => wake());
    return batch;
  }
}
