const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date or time (`2024-03-01`, `2024-03-01 10:00`, `2024-03-01T10:00:00.5+02:00`)
 * in ms since the epoch; without a zone it is UTC. Undefined when the text is no such time.
 */
export function parseTime(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const ms = frac ? Math.floor(Number(frac) * 1000) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone.toUpperCase() === 'Z') {
    return utc;
  }
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

// The type of a time parameter, and the text it takes: defined once, in store/time.ts.
export { TIME_TYPE as TIME_PARAM, toClickHouseTime as clickHouseTime } from '../store/time';

/** A time from a request (`from`/`to`): ISO 8601, or epoch milliseconds as digits. */
export function parseRequestTime(text: string): number | undefined {
  if (/^\d{10,13}$/.test(text.trim())) {
    const n = Number(text);
    return text.trim().length <= 10 ? n * 1000 : n;
  }
  return parseTime(text);
}
