// Time formats AWS writes into keys and records.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `20240501T1205Z`: the stamp in CloudTrail, ELB and VPC flow log object names. */
export function keyStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
}

/** `2024/05/01`: the date folders of the `AWSLogs/` layouts. */
export function dayFolder(ms: number): string {
  return utcDay(ms).replace(/-/g, '/');
}

/** `2024-05-01`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** `2024-05-01T12:00:03Z`: CloudTrail's eventTime, whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** `2024-05-01T12:00:03.123456Z`: ELB times, microseconds. */
export function isoMicros(ms: number, micros: number): string {
  return new Date(ms).toISOString().slice(0, 23) + pad(micros % 1000, 3) + 'Z';
}

/** Parses a time option: ms since the epoch, a Date or an ISO 8601 string. */
export function toMs(value: number | string | Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new RangeError(`${name} must be a time (ms since the epoch, a Date or an ISO 8601 string), got ${JSON.stringify(String(value))}`);
  }
  return ms;
}
