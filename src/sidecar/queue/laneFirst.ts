/**
 * Priority lane before backfill queue: counts the lane's messages in flight and holds each object
 * of a backfill-queue message until there are none, but never longer than `maxWaitMs` (the
 * fairness bound): however much work queries keep pulling forward, every object of the backfill
 * waits at most that long for it, so the rest of the backfill goes on, only slower.
 */
export class LaneFirstGate {
  private lane = 0;
  private waiters = new Set<() => void>();

  constructor(readonly maxWaitMs: number) {}

  get laneInFlight(): number {
    return this.lane;
  }

  enter(): void {
    this.lane++;
  }

  leave(): void {
    this.lane = Math.max(0, this.lane - 1);
    if (this.lane === 0) {
      const waiting = [...this.waiters];
      this.waiters.clear();
      waiting.forEach((wake) => wake());
    }
  }

  /** Resolves once no lane message is in flight, after `maxWaitMs` at most, or when the signal aborts. */
  idle(signal: AbortSignal): Promise<void> {
    if (this.lane === 0 || signal.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxWaitMs);
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
