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
    case 'dynamic':
      return `toFloat64OrNull(${dynamicText(value.sql)})`;
    default:
      throw new QueryError(`expected a number, got ${describe(value)}`, span);
  }
}

/** KQL's tostring() of a dynamic value: a JSON string's text, anything else its JSON ("" for null). */
export function dynamicText(sql: string): string {
  return `if(JSONType(${sql}) = 'String', JSONExtractString(${sql}), ${sql})`;
}

/** A time as KQL writes it in JSON: ISO 8601 in UTC. */
export function isoText(sql: string): string {
  return `concat(replaceOne(toString(${sql}), ' ', 'T'), 'Z')`;
}

/** SQL of a value's JSON text (`null` for null), for building dynamic arrays and property bags. */
export function jsonOf(value: Typed, span: Span): string {
  switch (value.type) {
    case 'string':
      return value.json ? `if(${value.sql} = '', 'null', ${value.sql})` : `toJSONString(${value.sql})`;
    case 'dynamic':
      return `if(${value.sql} = '', 'null', ${value.sql})`;
    case 'number':
      return `ifNull(toString(${value.sql}), 'null')`;
    case 'timespan':
      return `ifNull(toString(${value.sql}), 'null')`;
    case 'bool':
      return `multiIf(isNull(${value.sql}), 'null', ${value.sql}, 'true', 'false')`;
    case 'time':
      return `ifNull(toJSONString(${isoText(value.sql)}), 'null')`;
    case 'array':
      return value.element === 'dynamic'
        ? `concat('[', arrayStringConcat(arrayMap(__j -> if(__j = '', 'null', __j), ${value.sql}), ','), ']')`
        : `toJSONString(${value.sql})`;
    case 'null':
      return `'null'`;
    default:
      throw new QueryError(`cannot make a dynamic value of ${describe(value)}`, span);
  }
}

/** A value as dynamic JSON text ("" for null). */
export function asDynamic(value: Typed, span: Span): string {
  if (value.type === 'dynamic') {
    return value.sql;
  }
  if (value.type === 'null') {
    return `''`;
  }
  const text = jsonOf(value, span);
  return `if(${text} = 'null', '', ${text})`;
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
      return `toString(${value.sql})`;
    case 'array':
      return jsonOf(value, span);
    case 'dynamic':
      return dynamicText(value.sql);
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
  if (value.type === 'dynamic') {
    return `parseDateTime64BestEffortOrNull(${dynamicText(value.sql)}, 3, 'UTC')`;
  }
  throw new QueryError(`expected a time, got ${describe(value)}`, span);
}

export function asBool(value: Typed, span: Span, what: string): string {
  if (value.type === 'bool' || value.type === 'null') {
    return value.sql;
  }
  if (value.type === 'dynamic') {
    return `multiIf(${value.sql} = 'true', true, ${value.sql} = 'false', false, NULL)`;
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
