import { FirstGate } from './firstGate';

describe('live first', () => {
  it('holds backfill work while live messages are in flight, and lets it go when the last one is done', async () => {
    const gate = new FirstGate();
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
    expect(gate.inFlight).toBe(0);

    gate.enter();
    const stop = new AbortController();
    const aborted = gate.idle(stop.signal);
    stop.abort();
    await aborted;
  });
});

describe('lane first', () => {
  it('lets backfill work through at once without lane work, once the lane is idle, or after the fairness bound', async () => {
    const gate = new FirstGate(200);
    const signal = new AbortController().signal;
    let passed = false;
    await gate.idle(signal);
    gate.enter();
    void gate.idle(signal).then(() => (passed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(passed).toBe(false);
    gate.leave();
    await new Promise((resolve) => setImmediate(resolve));
    expect(passed).toBe(true);

    gate.enter();
    const started = Date.now();
    await gate.idle(signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(gate.inFlight).toBe(1);
  });
});
