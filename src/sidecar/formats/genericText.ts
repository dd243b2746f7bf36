import { KEY_LAYOUTS } from '../keys/layouts';
import { detectTime, genericColumns, levelSeverity } from './genericColumns';
import { parseLines, type LineResult } from './lineFormat';
import { timeInText } from './times';
import type { LogFormat, ObjectInfo } from './types';

const PAIR = /([A-Za-z_@][\w.@-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/g;
const LEVEL_WORD = /\b(ERROR|ERR|FATAL|CRIT(?:ICAL)?|ALERT|EMERG|WARN(?:ING)?|INFO|NOTICE|DEBUG|TRACE)\b/i;
/** Lines holding at least this many key=value pairs are read as logfmt. */
const MIN_PAIRS = 2;

/** The `key=value` pairs of a logfmt-style line (values may be "quoted"); empty when the line has fewer than MIN_PAIRS. */
export function keyValuePairs(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!line.includes('=')) {
    return fields;
  }
  let count = 0;
  for (const m of line.matchAll(PAIR)) {
    const value = m[2];
    fields[m[1]] = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    count++;
  }
  return count >= MIN_PAIRS ? fields : {};
}

/**
 * One event per line. Its time is a configured or conventional key=value field, else the first
 * time the line carries (ISO 8601, access-log or syslog style), else the object's time.
 */
export function parseTextLine(text: string, info: Pick<ObjectInfo, 'keyTime' | 'timeField'>): LineResult {
  const fields = keyValuePairs(text);
  let time = detectTime(fields, info.timeField);
  if (typeof time === 'string') {
    return time;
  }
  if (time === null) {
    const found = timeInText(text, info.keyTime ?? Date.now());
    time = Number.isNaN(found) ? null : found;
  }
  const columns = genericColumns(fields);
  if (!columns.status && !('level' in fields || 'severity' in fields)) {
    const level = LEVEL_WORD.exec(text.length > 256 ? text.slice(0, 256) : text);
    columns.severity = (level && levelSeverity(level[1])) || columns.severity;
  }
  return { time, ...columns, fields, raw: text };
}

/** Printable text: no NUL bytes and almost no control or undecodable characters. */
export function looksLikeText(head: string): boolean {
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) {
      return false;
    }
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) {
      odd++;
    }
  }
  return odd <= head.length / 100;
}

export const genericText: LogFormat = {
  type: 'text',
  matchesKey: KEY_LAYOUTS.text.matches,
  sniff: looksLikeText,
  parse(chunks, info) {
    return parseLines(chunks, (text) => parseTextLine(text, info));
  },
};
