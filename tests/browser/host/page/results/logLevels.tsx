import { LogLevel } from '@grafana/data';

/** Grafana's log level colours (core/logsModel LogLevelColor: the classic palette). */
export const LOG_LEVEL_COLOR: Record<string, string> = {
  [LogLevel.critical]: '#705DA0',
  [LogLevel.warning]: '#EAB839',
  [LogLevel.error]: '#E24D42',
  [LogLevel.info]: '#7EB26D',
  [LogLevel.debug]: '#1F78C1',
  [LogLevel.trace]: '#6ED0E0',
  [LogLevel.unknown]: '#8e8e8e',
};

/** A severity as Grafana normalises it (`warn` → warning, `err` → error, ...), or unknown. */
export function logLevel(value: unknown): string {
  const key = String(value ?? '').toLowerCase() as keyof typeof LogLevel;
  return LogLevel[key] || LogLevel.unknown;
}
