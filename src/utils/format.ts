import { dateTimeFormat, dateTimeFormatTimeAgo, formattedValueToString, getValueFormat } from '@grafana/data';

export const formatCount = (n: number): string => n.toLocaleString('en-US');

export const formatBytes = (n: number): string => formattedValueToString(getValueFormat('decbytes')(n));

/** Seconds as Grafana writes durations: `45 s`, `3.5 min`, `2 hour`. */
export const formatSeconds = (s: number): string => formattedValueToString(getValueFormat('s')(s));

export const formatRate = (perSecond: number): string => `${formattedValueToString(getValueFormat('short')(perSecond))}/s`;

export const formatTime = (iso: string): string => dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' });

export const formatAgo = (iso: string): string => dateTimeFormatTimeAgo(iso);

/** `a` to `b`, or what is known of it. */
export function formatSpan(from: string | null, to: string | null): string {
  if (from && to) {
    return `${formatTime(from)} to ${formatTime(to)}`;
  }
  return from ? `from ${formatTime(from)}` : to ? `until ${formatTime(to)}` : 'nothing yet';
}
