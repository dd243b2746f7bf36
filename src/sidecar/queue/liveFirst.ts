/**
 * Live before backfill: counts live messages received and not yet done, and lets backfill work
 * start only while there are none. A live message therefore waits at most for the backfill
 * objects already in flight when it arrived.
 */
export class LiveFirstGate {
  private live = 0;
  private waiters: Array<() => void> = [];

  get liveInFlight(): number {
    return this.live;
  }

  enter(count = 1): void {
    this.live += count;
  }

  leave(): void {
    this.live = Math.max(0, this.live - 1);
    if (this.live === 0) {
      const waiting = this.waiters;
      this.waiters = [];
      waiting.forEach((wake) => wake());
    }
  }

  /** Resolves once no live message is in flight (at once when none is), or when the signal aborts. */
  idle(signal: AbortSignal): Promise<void> {
    if (this.live === 0 || signal.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        signal.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.push(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
