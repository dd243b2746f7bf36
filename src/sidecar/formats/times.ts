/** ISO 8601 time in ms; a time without a zone is UTC (AWS writes UTC everywhere). NaN when invalid. */
export function isoTime(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    return NaN;
  }
  if (/[+-]\d{4}$/.test(value)) {
    return Date.parse(`${value.slice(0, -2)}:${value.slice(-2)}`);
  }
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const ACCESS_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/** The access-log time `06/Feb/2019:00:00:38 +0000` (S3, Apache) in ms, NaN when it is not that. */
export function accessLogTime(value: string): number {
  const m = ACCESS_TIME.exec(value);
  const month = m ? MONTHS[m[2]] : undefined;
  if (!m || month === undefined) {
    return NaN;
  }
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset;
}

/** Epoch seconds, ms, µs or ns (told apart by magnitude) in ms; NaN when not a positive number. */
export function epochTime(n: number): number {
  if (!Number.isFinite(n) || n <= 0) {
    return NaN;
  }
  if (n >= 1e17) {
    return Math.floor(n / 1e6);
  }
  if (n >= 1e14) {
    return Math.floor(n / 1e3);
  }
  return n >= 1e11 ? Math.floor(n) : Math.round(n * 1000);
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s?(Z|[+-]\d{2}:?\d{2})?$/;
const RFC_2822 = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} /;

/** A time written as a JSON value: epoch number (or numeric string), ISO 8601, access-log or RFC 2822 text. NaN otherwise. */
export function timeOfValue(value: unknown): number {
  if (typeof value === 'number') {
    return epochTime(value);
  }
  if (typeof value !== 'string') {
    return NaN;
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    return epochTime(Number(value));
  }
  const iso = ISO_DATE_TIME.exec(value);
  if (iso) {
    return isoTime(`${iso[1]}T${iso[2].replace(',', '.')}${iso[3] ?? 'Z'}`);
  }
  if (RFC_2822.test(value)) {
    return Date.parse(value);
  }
  return accessLogTime(value);
}

const ISO_IN_TEXT = /(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:[.,]\d+)?)(Z|[+-]\d{2}:?\d{2})?/;
const ACCESS_IN_TEXT = /\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}/;
const SYSLOG_START = /^(?:<\d{1,3}>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})\b/;
/** Only the start of a line is searched: a time deep inside a message is not the line's time. */
const TIME_SEARCH_CHARS = 256;

/**
 * The time a text log line starts with or carries early: ISO 8601 (zone-less means UTC), an
 * access-log `dd/Mon/yyyy:HH:mm:ss +zzzz`, or a syslog `Mon dd HH:mm:ss`, whose missing year is
 * taken from `reference` (the object's time), a year earlier when that would put it in the future.
 */
export function timeInText(line: string, reference: number): number {
  const head = line.length > TIME_SEARCH_CHARS ? line.slice(0, TIME_SEARCH_CHARS) : line;
  const iso = ISO_IN_TEXT.exec(head);
  if (iso) {
    return isoTime(`${iso[1]}T${iso[2].replace(',', '.')}${iso[3] ?? 'Z'}`);
  }
  const access = ACCESS_IN_TEXT.exec(head);
  if (access) {
    return accessLogTime(access[0]);
  }
  const syslog = SYSLOG_START.exec(head);
  const month = syslog ? MONTHS[syslog[1]] : undefined;
  if (syslog && month !== undefined) {
    const year = new Date(reference).getUTCFullYear();
    const at = (y: number) => Date.UTC(y, month, Number(syslog[2]), Number(syslog[3]), Number(syslog[4]), Number(syslog[5]));
    const guess = at(year);
    return guess > reference + 86_400_000 ? at(year - 1) : guess;
  }
  return NaN;
}
