import { getEventListeners } from 'node:events';
import { pause } from './pause';

describe('pause', () => {
  it('leaves no abort listener on the signal once it is over, however often a loop pauses on it', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 50; i++) {
      await pause(1, stop.signal);
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('ends early when the signal aborts', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const paused = pause(60_000, stop.signal);
    stop.abort();
    await paused;
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
