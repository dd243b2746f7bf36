import { HOUR } from './time';
import type { GeneratedLogType } from './types';

/**
 * Relative activity at a time: a daily curve (quiet around 03:00 UTC, busiest around 15:00)
 * and quieter weekends, more pronounced for people-driven CloudTrail than for machine traffic.
 */
export function activity(type: GeneratedLogType, ms: number): number {
  const hour = (ms % (24 * HOUR)) / HOUR;
  const day = new Date(ms).getUTCDay();
  const weekend = day === 0 || day === 6;
  const daily = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
  switch (type) {
    case 'cloudtrail':
      return 0.35 + 0.65 * daily * (weekend ? 0.45 : 1);
    case 'alb':
      return 0.2 + 0.8 * daily * (weekend ? 0.85 : 1);
    case 'vpcflow':
      return 0.45 + 0.55 * daily * (weekend ? 0.9 : 1);
  }
}

export interface Window {
  /** Grid-aligned start: the key's stamp. */
  stamp: number;
  /** The part of the window inside the range: events lie in [from, to). */
  from: number;
  to: number;
}

/** The file windows of one stream over [start, end), on a grid aligned to midnight UTC. */
export function windows(start: number, end: number, fileMs: number): Window[] {
  const list: Window[] = [];
  for (let stamp = Math.floor(start / fileMs) * fileMs; stamp < end; stamp += fileMs) {
    list.push({ stamp, from: Math.max(stamp, start), to: Math.min(stamp + fileMs, end) });
  }
  return list;
}

/** Activity integrated over a window, the weight of the window's share of events. */
export function windowMass(type: GeneratedLogType, w: Window): number {
  return activity(type, (w.from + w.to) / 2) * (w.to - w.from);
}
