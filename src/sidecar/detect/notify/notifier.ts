import type { Detection } from '../../../shared/detections';
import { errorMessage, type Logger } from '../../log';
import type { DetectionOutbox } from '../writer';
import { DeliveryError, requestFor, send, wantsSeverity, type ChannelConfig, type LinkOptions } from './channels';
import type { DeliveryRecord, DeliveryRepository } from './deliveries';

export interface NotifierOptions {
  /** This sidecar, in delivery claims. */
  owner: string;
  /** Attempts per delivery before it is given up (and shown as failed). */
  maxAttempts: number;
  /** Wait before the second attempt; doubled after each failure, up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** One attempt's time limit. */
  timeoutMs: number;
  /** How often pending deliveries of sidecars that stopped are looked for. */
  sweepMs: number;
  links: LinkOptions;
}

export const NOTIFIER_DEFAULTS: Omit<NotifierOptions, 'owner' | 'links'> = {
  maxAttempts: 8,
  initialBackoffMs: 2000,
  maxBackoffMs: 300_000,
  timeoutMs: 10_000,
  sweepMs: 60_000,
};

/** What a detection lookup gives a delivery taken over from another sidecar. */
export interface DetectionSource {
  get(fingerprint: string): Promise<Detection | null>;
}

/**
 * Sends new detections to the configured channels. Each (detection, channel) is claimed once in
 * the store (deliveries.ts), then sent by its owner with retries and exponential backoff; each
 * attempt is a row, so a delivery that keeps failing is visible while it is retried and after it
 * is given up. A pending delivery whose owner stopped updating it for longer than any backoff is
 * taken over by another sidecar (or this one after a restart).
 */
export class Notifier implements DetectionOutbox {
  private readonly options: NotifierOptions;
  private readonly clock: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: { channels: ChannelConfig[]; deliveries: DeliveryRepository; detections: DetectionSource; log: Logger; clock?: () => number },
    options: Partial<NotifierOptions> & { owner: string }
  ) {
    this.options = { ...NOTIFIER_DEFAULTS, links: {}, ...options };
    this.clock = deps.clock ?? Date.now;
  }

  get channels(): ChannelConfig[] {
    return this.deps.channels;
  }

  /** A pending delivery untouched this long has lost its owner. */
  private get leaseMs(): number {
    return Math.max(10 * 60_000, 3 * this.options.maxBackoffMs + this.options.timeoutMs);
  }

  start(): void {
    if (this.sweeper || this.deps.channels.length === 0) {
      return;
    }
    const sweep = () => {
      this.sweep().catch((err) => this.deps.log.warn({ err: errorMessage(err) }, 'looking for abandoned deliveries failed'));
    };
    this.sweeper = setInterval(sweep, this.options.sweepMs);
    sweep();
  }

  /** Stops sending: pending deliveries stay pending in the store for the next owner. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves once no attempt is due or running (tests). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Claims and starts the deliveries of these new detections to every channel that wants their severity. */
  async enqueue(detections: Detection[]): Promise<void> {
    const now = this.clock();
    for (const detection of detections) {
      for (const channel of this.deps.channels.filter((c) => wantsSeverity(c, detection.severity))) {
        const record: DeliveryRecord = {
          fingerprint: detection.fingerprint,
          channel: channel.name,
          channelType: channel.type,
          ruleId: detection.ruleId,
          title: detection.title,
          owner: this.options.owner,
          state: 'pending',
          attempts: 0,
          lastError: '',
          nextAt: now,
          createdAt: now,
          updatedAt: now,
        };
        if (await this.deps.deliveries.claim(record)) {
          this.schedule(channel, detection, record, 0);
        }
      }
    }
  }

  /** Takes over pending deliveries whose owner went quiet, and carries them on. */
  async sweep(): Promise<void> {
    const now = this.clock();
    for (const stale of await this.deps.deliveries.stale(now - this.leaseMs)) {
      const channel = this.deps.channels.find((c) => c.name === stale.channel);
      const detection = channel && (await this.deps.detections.get(stale.fingerprint));
      if (!channel || !detection || this.stopped) {
        continue;
      }
      if (await this.deps.deliveries.takeOver(stale, this.options.owner, now)) {
        this.deps.log.info({ fingerprint: stale.fingerprint, channel: stale.channel, from: stale.owner }, 'took over a pending delivery');
        this.schedule(channel, detection, { ...stale, owner: this.options.owner, updatedAt: now }, Math.max(0, stale.nextAt - now));
      }
    }
  }

  private schedule(channel: ChannelConfig, detection: Detection, record: DeliveryRecord, delayMs: number): void {
    if (this.stopped) {
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const attempt = this.attempt(channel, detection, record).finally(() => this.inFlight.delete(attempt));
      this.inFlight.add(attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(channel: ChannelConfig, detection: Detection, record: DeliveryRecord): Promise<void> {
    const attempts = record.attempts + 1;
    try {
      await send(channel, requestFor(channel, detection, this.options.links), this.options.timeoutMs);
      const now = this.clock();
      await this.save({ ...record, state: 'delivered', attempts, lastError: '', nextAt: now, updatedAt: now });
      this.deps.log.debug({ fingerprint: record.fingerprint, channel: channel.name, attempts }, 'detection delivered');
    } catch (err) {
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      const message = errorMessage(err);
      const now = this.clock();
      if (!retryable || attempts >= this.options.maxAttempts) {
        const why = retryable ? `gave up after ${attempts} attempts: ${message}` : `gave up: ${message}`;
        await this.save({ ...record, state: 'failed', attempts, lastError: why, nextAt: now, updatedAt: now });
        this.deps.log.warn({ fingerprint: record.fingerprint, channel: channel.name, attempts, err: message }, 'detection not delivered');
        return;
      }
      const backoff = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** (attempts - 1));
      const wait = Math.min(
        this.options.maxBackoffMs,
        Math.max(backoff, err instanceof DeliveryError && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : 0)
      );
      const next = { ...record, state: 'pending' as const, attempts, lastError: message, nextAt: now + wait, updatedAt: now };
      await this.save(next);
      this.deps.log.info(
        { fingerprint: record.fingerprint, channel: channel.name, attempts, retryInMs: wait, err: message },
        'detection delivery failed, will retry'
      );
      this.schedule(channel, detection, next, wait);
    }
  }

  private async save(record: DeliveryRecord): Promise<void> {
    try {
      await this.deps.deliveries.save(record);
    } catch (err) {
      // The store is away: the attempt happened; the row catches up at the next one.
      this.deps.log.warn({ fingerprint: record.fingerprint, channel: record.channel, err: errorMessage(err) }, 'delivery state not saved');
    }
  }
}
