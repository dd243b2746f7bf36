/**
 * Fault injection for crash tests: when LOOKBACK_FAILPOINTS names a point, the process kills
 * itself with SIGKILL there, exactly like `kill -9` at that moment. `name@N` waits for the Nth
 * time the point is reached (`while-listing@5`: after four pages went through). Unset in normal runs.
 */
const active = new Map(
  (process.env.LOOKBACK_FAILPOINTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((spec) => {
      const [name, nth] = spec.split('@');
      return [name, Math.max(1, Number(nth ?? 1) || 1)] as const;
    })
);

export type Failpoint = 'after-live-group' | 'after-insert' | 'after-ledger' | 'while-listing' | 'while-consuming' | 'while-loading-first';

export function failpoint(name: Failpoint): void {
  const remaining = active.get(name);
  if (remaining === undefined) {
    return;
  }
  if (remaining <= 1) {
    process.kill(process.pid, 'SIGKILL');
  }
  active.set(name, remaining - 1);
}
