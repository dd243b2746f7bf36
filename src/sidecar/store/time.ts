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
