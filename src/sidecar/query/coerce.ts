import type { Typed } from './context';
import { QueryError, type Span } from './errors';
import type { Params } from './params';
import { clickHouseTime, parseTime, TIME_PARAM } from './time';

/** SQL reading a value as a number; text (map fields) is cast safely, unparseable text is null. */
export function asNumber(value: Typed, span: Span): string {
  switch (value.type) {
    case 'number':
    case 'null':
      return value.sql;
    case 'bool':
      return `toUInt8(${value.sql})`;
    case 'string':
      return `toFloat64OrNull(${value.sql})`;
    default:
      throw new QueryError(`expected a number, got ${describe(value)}`, span);
  }
}

/** SQL reading a value as text. */
export function asString(value: Typed, span: Span): string {
  switch (value.type) {
    case 'string':
    case 'null':
      return value.sql;
    case 'number':
    case 'bool':
    case 'time':
    case 'array':
      return `toString(${value.sql})`;
    default:
      throw new QueryError(`expected text, got ${describe(value)}`, span);
  }
}

/** SQL reading a value as a time; a constant string must be a valid ISO time. */
export function asTime(value: Typed, span: Span, params: Params): string {
  if (value.type === 'time' || value.type === 'null') {
    return value.sql;
  }
  if (value.type === 'string') {
    if (value.constant?.kind === 'string') {
      const ms = parseTime(value.constant.value);
      if (ms === undefined) {
        throw new QueryError(`"${value.constant.value}" is not a time (expected ISO 8601, e.g. 2024-03-01T10:00:00Z)`, span);
      }
      return params.add(TIME_PARAM, clickHouseTime(ms));
    }
    return `parseDateTime64BestEffortOrNull(${value.sql}, 3, 'UTC')`;
  }
  throw new QueryError(`expected a time, got ${describe(value)}`, span);
}

export function asBool(value: Typed, span: Span, what: string): string {
  if (value.type === 'bool' || value.type === 'null') {
    return value.sql;
  }
  throw new QueryError(`${what} needs a true/false condition (such as x == "y"), got ${describe(value)}`, span);
}

/** SQL of a timespan as a ClickHouse interval. */
export function asInterval(value: Typed, span: Span): string {
  if (value.type !== 'timespan') {
    throw new QueryError(`expected a timespan such as 5m or 1h, got ${describe(value)}`, span);
  }
  return `toIntervalMillisecond(${value.sql})`;
}

export function describe(value: Typed): string {
  const what = value.type === 'string' && value.mapField ? 'text' : value.type === 'string' ? 'text' : value.type;
  return value.column ? `${what} column "${value.column}"` : what;
}
