import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, or less when the signal aborts first. The abort listener lives only as long as the
 * wait, so a loop that pauses on one long-lived signal adds none to it.
 */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((err: unknown) => {
    if ((err as { name?: string }).name !== 'AbortError') {
      throw err;
    }
  });
}
