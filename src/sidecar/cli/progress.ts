import type { Backfill } from '../../shared/backfill';

const WIDTH = 30;

/** `[██████░░░░░░]  42%` */
export function bar(fraction: number, width = WIDTH): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) {
    return '?';
  }
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
      : `${s}s`;
}

/** One line of progress for one or more backfills taken together. */
export function backfillLine(backfills: Backfill[]): string {
  const sum = (f: (b: Backfill) => number) => backfills.reduce((total, b) => total + f(b), 0);
  const listed = sum((b) => b.counters.listed);
  const done = sum((b) => b.counters.processed + b.counters.failed + b.counters.skipped + b.counters.cancelled);
  const listing = backfills.some((b) => b.state === 'planning' || b.state === 'listing');
  const eta = Math.max(0, ...backfills.map((b) => b.etaSeconds ?? 0));
  const rate = sum((b) => b.eventsPerSecond);
  return `${bar(listed ? done / listed : 0)}  ${done.toLocaleString('en-US')}/${listed.toLocaleString('en-US')}${listing ? '+' : ''} objects  ${sum((b) => b.counters.events).toLocaleString('en-US')} events  ${Math.round(rate).toLocaleString('en-US')} events/s  ETA ${listing ? '?' : duration(eta)}`;
}
