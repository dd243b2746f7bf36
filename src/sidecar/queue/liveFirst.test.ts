import { LiveFirstGate } from './liveFirst';

describe('live first', () => {
  it('holds backfill work while live messages are in flight, and lets it go when the last one is done', async () => {
    const gate = new LiveFirstGate();
    const never = new AbortController().signal;
    await gate.idle(never);
    gate.enter(2);
    let released = false;
    const waiting = gate.idle(never).then(() => (released = true));
    gate.leave();
    await Promise.resolve();
    expect(released).toBe(false);
    gate.leave();
    await waiting;
    expect(released).toBe(true);
    expect(gate.liveInFlight).toBe(0);

    gate.enter();
    const stop = new AbortController();
    const aborted = gate.idle(stop.signal);
    stop.abort();
    await aborted;
  });
});
