export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface TimeWindow {
  /** ms, inclusive. */
  from: number;
  /** ms, exclusive. */
  to: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export interface DateParts {
  year: string;
  month: string;
  day: string;
  hour: string;
}

export function dateParts(ms: number): DateParts {
  const d = new Date(ms);
  return { year: String(d.getUTCFullYear()), month: pad(d.getUTCMonth() + 1), day: pad(d.getUTCDate()), hour: pad(d.getUTCHours()) };
}

/** Start of every UTC day that overlaps the window, and whether the window covers it whole. */
export function daysOf(window: TimeWindow): Array<{ start: number; whole: boolean }> {
  const days: Array<{ start: number; whole: boolean }> = [];
  for (let start = Math.floor(window.from / DAY_MS) * DAY_MS; start < window.to; start += DAY_MS) {
    days.push({ start, whole: start >= window.from && start + DAY_MS <= window.to });
  }
  return days;
}

/** Start of every hour of the day starting at `dayStart` that overlaps the window. */
export function hoursOf(dayStart: number, window: TimeWindow): number[] {
  const hours: number[] = [];
  for (let start = dayStart; start < dayStart + DAY_MS; start += HOUR_MS) {
    if (start + HOUR_MS > window.from && start < window.to) {
      hours.push(start);
    }
  }
  return hours;
}
