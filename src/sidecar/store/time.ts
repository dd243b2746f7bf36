/** The type of every time column and time parameter: milliseconds, in UTC. */
export const TIME_TYPE = "DateTime64(3, 'UTC')";

/** ClickHouse prints DateTime64 as `2020-01-01 00:00:00.000` (UTC here); the API speaks ISO 8601. */
export function toIso(value: string): string {
  if (value.includes('T')) {
    return value;
  }
  return `${value.replace(' ', 'T')}Z`;
}

/** Milliseconds since the epoch → the text form ClickHouse reads into DateTime64(3, 'UTC'). */
export function toClickHouseTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** A time column's text (or ISO 8601) → milliseconds since the epoch; null stays null. */
export function toMs(value: string | null | undefined): number | null {
  return value ? Date.parse(toIso(value)) : null;
}
