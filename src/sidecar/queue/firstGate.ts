/**
 * Work that goes first: counts its messages in flight and lets other work start only while there
 * are none, or once it has waited `maxWaitMs` (a fairness bound; none unless given). Live work
 * goes first of all (no bound: a live message waits at most for the backfill objects already in
 * flight when it arrived); the priority lane goes before the backfill queue, whose objects wait
 * for it at most the bound, so the rest of a backfill goes on however much work is pulled forward.
 */
export class FirstGate {
  private count = 0;
  private readonly waiters = new Set<() => void>();

  constructor(readonly maxWaitMs = Infinity) {}

  get inFlight(): number {
    return this.count;
  }

  enter(count = 1): void {
    this.count += count;
  }

  leave(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) {
      const waiting = [...this.waiters];
      this.waiters.clear();
      waiting.forEach((wake) => wake());
    }
  }

  /** Resolves once none of the work that goes first is in flight (at once when none is), after `maxWaitMs` at most, or when the signal aborts. */
  idle(signal: AbortSignal): Promise<void> {
    if (this.count === 0 || signal.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = Number.isFinite(this.maxWaitMs) ? setTimeout(wake, this.maxWaitMs) : undefined;
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
