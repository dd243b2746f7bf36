/**
 * Fault injection for crash tests: when LOOKBACK_FAILPOINTS names a point, the process kills
 * itself with SIGKILL there, exactly like `kill -9` at that moment. Unset in normal runs.
 */
const active = new Set((process.env.LOOKBACK_FAILPOINTS ?? '').split(',').filter(Boolean));

export type Failpoint = 'after-insert' | 'after-ledger' | 'while-listing' | 'while-consuming';

export function failpoint(name: Failpoint): void {
  if (active.has(name)) {
    process.kill(process.pid, 'SIGKILL');
  }
}
