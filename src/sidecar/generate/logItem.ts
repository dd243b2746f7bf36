/** One event of a body, before it is joined: its time (as a parser reads it) and its text. */
export interface LogItem {
  time: number;
  text: string;
}

/** Events sorted by time, stable for equal times. */
export function byTime(items: LogItem[]): LogItem[] {
  return items.sort((a, b) => a.time - b.time);
}
