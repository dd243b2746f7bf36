import { LaneFirstGate } from './laneFirst';

describe('LaneFirstGate', () => {
  it('lets backfill work through at once without lane work, once the lane is idle, or after the fairness bound', async () => {
    const gate = new LaneFirstGate(200);
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
    expect(gate.laneInFlight).toBe(1);
  });
});
