const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** Milliseconds as the shortest exact timespan of the language (`90000` → `90s`). */
export function formatInterval(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  for (const [unit, size] of UNITS) {
    if (whole % size === 0) {
      return `${whole / size}${unit}`;
    }
  }
  return `${whole}ms`;
}
