export interface GroupCommitOptions {
  /** Most items in one write; a single add larger than this is written alone. */
  maxItems: number;
  /** How long the first add after a quiet spell waits for company before it is written. */
  lingerMs: number;
}

interface Ticket<T> {
  items: T[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Writes what several concurrent producers add in as few writes as possible: one write runs at
 * a time, and whatever was added meanwhile goes into the next one. Each add resolves when the
 * write that carried its items succeeded, and rejects with that write's error.
 *
 * Every statement has a cost of its own in chDB, and each insert makes a part that merges rewrite
 * later, so the ledger rows or lookups of all objects in flight go best in one statement.
 */
export class GroupCommit<T> {
  private queue: Array<Ticket<T>> = [];
  private queuedItems = 0;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly opts: GroupCommitOptions
  ) {}

  add(items: T[]): Promise<void> {
    if (items.length === 0) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queuedItems += items.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.writing) {
      return;
    }
    if (this.queuedItems >= this.opts.maxItems) {
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
    while (this.queue.length > 0 && (batch.length === 0 || items + this.queue[0].items.length <= this.opts.maxItems)) {
      const ticket = this.queue.shift()!;
      batch.push(ticket);
      items += ticket.items.length;
    }
    this.queuedItems -= items;
    return batch;
  }
}
