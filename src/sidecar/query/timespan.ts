const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Timespan units (KQL spelling) in milliseconds. */
export const TIMESPAN_UNITS: Record<string, number> = {
  d: DAY,
  day: DAY,
  days: DAY,
  h: HOUR,
  hr: HOUR,
  hrs: HOUR,
  hour: HOUR,
  hours: HOUR,
  m: MINUTE,
  min: MINUTE,
  mins: MINUTE,
  minute: MINUTE,
  minutes: MINUTE,
  s: SECOND,
  sec: SECOND,
  secs: SECOND,
  second: SECOND,
  seconds: SECOND,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
};

/** Units Grafana writes in intervals (`1w`, `1y`) beyond the language's. */
const REQUEST_UNITS: Record<string, number> = { w: 7 * DAY, y: 365 * DAY };

/** `30s`, `5m`, `1.5h`, `7d`, `100ms`, `1w` → milliseconds; undefined when the text is not a timespan. */
export function parseTimespan(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!match) {
    return undefined;
  }
  const unit = match[2].toLowerCase();
  const factor = TIMESPAN_UNITS[unit] ?? REQUEST_UNITS[unit];
  if (factor === undefined) {
    return undefined;
  }
  const millis = Math.round(Number(match[1]) * factor);
  return millis > 0 ? millis : undefined;
}

/** Milliseconds → the shortest exact timespan text (`90000` → `90s`, `3600000` → `1h`). */
export function formatTimespan(millis: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    if (millis >= size && millis % size === 0) {
      return `${millis / size}${unit}`;
    }
  }
  return `${millis}ms`;
}

const NICE_INTERVALS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
];

/** The smallest round interval that splits `rangeMs` into at most `buckets` buckets. */
export function niceInterval(rangeMs: number, buckets: number): number {
  const wanted = rangeMs / Math.max(1, buckets);
  return NICE_INTERVALS.find((i) => i >= wanted) ?? Math.ceil(wanted / DAY) * DAY;
}
