import { asBool, asDynamic, asNumber, asString, asTime, describe, dynamicText, jsonOf } from './coerce';
import type { ExprContext, Typed } from './context';
import { QueryError, type Span } from './errors';
import {
  arg,
  checkCidr,
  constantArg,
  inRange,
  integerArg,
  PRIVATE_V4,
  stringOf,
  unifyBranches,
  type CallExpr,
  type Compiler,
  type FunctionSpec,
} from './functions';
import { checkRegex } from './regex';
import { SERIES_FUNCTIONS } from './series';
import { checkTimespan } from './limits';
import { parseTime } from './time';
import { parseTimespan } from './timespan';

// The scalar functions of KQL that Sentinel's published queries use, beyond the language's first
// set (functions.ts): dynamic values, sets, conditionals, text, conversions, times and IPs.

const constText = (call: CallExpr, i: number, ctx: ExprContext, c: Compiler, what: string) => constantArg(call, i, 'string', ctx, c, what).value;

/** A value as dynamic JSON text. */
const dynamicOf = (call: CallExpr, i: number, ctx: ExprContext, c: Compiler) => asDynamic(arg(call, i, ctx, c), call.args[i].span);

/** An array argument: an array, or a dynamic JSON array (its elements as JSON text). */
function arrayOf(call: CallExpr, i: number, ctx: ExprContext, c: Compiler): Typed {
  const value = arg(call, i, ctx, c);
  if (value.type === 'array') {
    return value;
  }
  if (value.type === 'dynamic' || (value.type === 'string' && (value.json || value.mapField))) {
    return { sql: `JSONExtractArrayRaw(${value.sql})`, type: 'array', element: 'dynamic' };
  }
  throw new QueryError(`${call.name}() takes an array, got ${describe(value)}`, call.args[i].span);
}

/** Arrays of one element type, for set operations; JSON elements compare as text. */
function sameElements(call: CallExpr, arrays: Typed[]): Typed['element'] {
  const elements = new Set(arrays.map((a) => a.element ?? 'string'));
  if (elements.size > 1) {
    throw new QueryError(`${call.name}() needs arrays of one element type, got ${[...elements].join(' and ')}`, call.span);
  }
  return [...elements][0];
}

/** The key/value pairs of pack() as a JSON object. */
function pack(call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  if (call.args.length % 2 !== 0) {
    throw new QueryError(`${call.name}() takes pairs of a key and a value`, call.span);
  }
  const parts: string[] = [];
  for (let i = 0; i < call.args.length; i += 2) {
    const key = stringOf(call, i, ctx, c);
    const value = jsonOf(arg(call, i + 1, ctx, c), call.args[i + 1].span);
    parts.push(`toJSONString(${key}), ':', ${value}`);
  }
  const body = parts.length === 0 ? `'{}'` : `concat('{', ${parts.join(", ',', ")}, '}')`;
  return { sql: body, type: 'dynamic' };
}

/** .NET-style format of format_datetime() → formatDateTime's; only the documented specifiers. */
const DATETIME_FORMAT: Array<[string, string]> = [
  ['yyyy', '%Y'],
  ['yy', '%y'],
  ['MM', '%m'],
  ['M', '%c'],
  ['dd', '%d'],
  ['d', '%e'],
  ['HH', '%H'],
  ['H', '%k'],
  ['hh', '%I'],
  ['h', '%l'],
  ['mm', '%i'],
  ['ss', '%S'],
  ['fffffff', '%f'],
  ['ffffff', '%f'],
  ['fff', '%f'],
  ['tt', '%p'],
];

function dateFormat(format: string, span: Span): string {
  let out = '';
  let i = 0;
  outer: while (i < format.length) {
    for (const [kql, ch] of DATETIME_FORMAT) {
      if (format.startsWith(kql, i)) {
        out += ch;
        i += kql.length;
        continue outer;
      }
    }
    const c = format[i];
    if (/[A-Za-z]/.test(c)) {
      throw new QueryError(`format_datetime(): unknown format specifier "${c}" (use yyyy, MM, dd, HH, mm, ss, fff, tt)`, span);
    }
    out += c === '%' ? '%%' : c;
    i++;
  }
  return out;
}

const PERIODS: Record<string, string> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  day: 'day',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  millisecond: 'millisecond',
};

function period(call: CallExpr, i: number, ctx: ExprContext, c: Compiler): string {
  const name = constText(call, i, ctx, c, 'a period such as "hour" or "day"').toLowerCase();
  const unit = PERIODS[name] ?? PERIODS[name.replace(/s$/, '')];
  if (!unit) {
    throw new QueryError(`unknown period "${name}"`, call.args[i].span, Object.keys(PERIODS));
  }
  return unit;
}

/** startofday(t [, offset]) and friends. */
function startOf(fn: string): FunctionSpec {
  return {
    args: [1, 2],
    compile: (call, ctx, c) => {
      const time = asTime(arg(call, 0, ctx, c), call.args[0].span, ctx.params);
      const start = fn === 'toStartOfWeek' ? `toDateTime64(toStartOfWeek(${time}, 0), 3, 'UTC')` : `toDateTime64(${fn}(${time}), 3, 'UTC')`;
      if (call.args.length === 1) {
        return { sql: start, type: 'time', nullable: true };
      }
      const unit = { toStartOfDay: 'Day', toStartOfWeek: 'Week', toStartOfMonth: 'Month', toStartOfYear: 'Year' }[fn] ?? 'Day';
      const offset = `toInt64(${asNumber(arg(call, 1, ctx, c), call.args[1].span)})`;
      return { sql: `(${start} + toInterval${unit}(${offset}))`, type: 'time', nullable: true };
    },
  };
}

function ipv4Match(call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  const ip = stringOf(call, 0, ctx, c);
  const target = constText(call, 1, ctx, c, 'a constant IPv4 address or range');
  const prefix = call.args.length > 2 ? integerArg(call, 2, ctx, c, 0) : undefined;
  const [address, bits] = target.includes('/') ? target.split('/') : [target, String(prefix ?? 32)];
  const cidr = checkCidr(`${address}/${Math.min(Number(bits), prefix ?? 32)}`, call.args[1].span);
  return { sql: inRange(ip, cidr, ctx), type: 'bool' };
}

export const KQL_FUNCTIONS: Record<string, FunctionSpec> = {
  parse_json: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      if (value.type === 'dynamic' || (value.type === 'string' && value.json)) {
        return { ...value, type: 'dynamic', json: undefined };
      }
      if (value.type !== 'string') {
        return { sql: asDynamic(value, call.args[0].span), type: 'dynamic' };
      }
      // Text that is no JSON is a JSON string of itself, as in KQL.
      return {
        sql: `multiIf(${value.sql} = '', '', isValidJSON(${value.sql}), ${value.sql}, toJSONString(${value.sql}))`,
        type: 'dynamic',
      };
    },
  },
  bag_keys: {
    args: [1, 1],
    compile: (call, ctx, c) => ({
      sql: `JSONExtractKeys(${dynamicOf(call, 0, ctx, c)})`,
      type: 'array',
      element: 'string',
    }),
  },
  pack: { args: [0, 128], compile: pack },
  pack_array: {
    args: [0, 128],
    compile: (call, ctx, c) => {
      const values = call.args.map((_, i) => arg(call, i, ctx, c));
      const types = new Set(values.map((v) => v.type));
      if (types.size === 1 && (types.has('string') || types.has('number') || types.has('bool') || types.has('time'))) {
        return { sql: `[${values.map((v) => v.sql).join(', ')}]`, type: 'array', element: values[0].type };
      }
      return {
        sql: `concat('[', ${values.map((v, i) => jsonOf(v, call.args[i].span)).join(", ',', ") || "''"}, ']')`,
        type: 'dynamic',
      };
    },
  },
  set_has_element: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const array = arrayOf(call, 0, ctx, c);
      const value = arg(call, 1, ctx, c);
      const needle = array.element === 'dynamic' ? jsonOf(value, call.args[1].span) : value.sql;
      return { sql: `has(${array.sql}, ${needle})`, type: 'bool' };
    },
  },
  array_index_of: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const array = arrayOf(call, 0, ctx, c);
      const value = arg(call, 1, ctx, c);
      const needle = array.element === 'dynamic' ? jsonOf(value, call.args[1].span) : value.sql;
      return { sql: `(toInt64(indexOf(${array.sql}, ${needle})) - 1)`, type: 'number' };
    },
  },
  array_concat: {
    args: [1, 64],
    compile: (call, ctx, c) => {
      const arrays = call.args.map((_, i) => arrayOf(call, i, ctx, c));
      return {
        sql: `arrayConcat(${arrays.map((a) => a.sql).join(', ')})`,
        type: 'array',
        element: sameElements(call, arrays),
      };
    },
  },
  array_slice: {
    args: [3, 3],
    compile: (call, ctx, c) => {
      const array = arrayOf(call, 0, ctx, c);
      const from = `toInt64(${asNumber(arg(call, 1, ctx, c), call.args[1].span)})`;
      const to = `toInt64(${asNumber(arg(call, 2, ctx, c), call.args[2].span)})`;
      const n = `length(${array.sql})`;
      const start = `if(${from} < 0, ${from} + ${n}, ${from})`;
      const end = `if(${to} < 0, ${to} + ${n}, ${to})`;
      return {
        sql: `arraySlice(${array.sql}, ${start} + 1, greatest(${end} - ${start} + 1, 0))`,
        type: 'array',
        element: array.element,
      };
    },
  },
  array_sum: {
    args: [1, 1],
    compile: (call, ctx, c) => ({
      sql: `arraySum(${numbersOf(arrayOf(call, 0, ctx, c))})`,
      type: 'number',
      nullable: true,
    }),
  },
  array_sort_asc: {
    args: [1, 1],
    compile: (call, ctx, c) => ({ ...arrayOf(call, 0, ctx, c), sql: `arraySort(${arrayOf(call, 0, ctx, c).sql})` }),
  },
  array_sort_desc: {
    args: [1, 1],
    compile: (call, ctx, c) => ({
      ...arrayOf(call, 0, ctx, c),
      sql: `arrayReverseSort(${arrayOf(call, 0, ctx, c).sql})`,
    }),
  },
  set_union: {
    args: [2, 64],
    compile: (call, ctx, c) => {
      const arrays = call.args.map((_, i) => arrayOf(call, i, ctx, c));
      return {
        sql: `arrayDistinct(arrayConcat(${arrays.map((a) => a.sql).join(', ')}))`,
        type: 'array',
        element: sameElements(call, arrays),
      };
    },
  },
  set_intersect: {
    args: [2, 64],
    compile: (call, ctx, c) => {
      const arrays = call.args.map((_, i) => arrayOf(call, i, ctx, c));
      return {
        sql: `arrayDistinct(arrayIntersect(${arrays.map((a) => a.sql).join(', ')}))`,
        type: 'array',
        element: sameElements(call, arrays),
      };
    },
  },
  set_difference: {
    args: [2, 64],
    compile: (call, ctx, c) => {
      const arrays = call.args.map((_, i) => arrayOf(call, i, ctx, c));
      const others = arrays.slice(1).map((a) => `NOT has(${a.sql}, __x)`);
      return {
        sql: `arrayFilter(__x -> ${others.join(' AND ')}, arrayDistinct(${arrays[0].sql}))`,
        type: 'array',
        element: sameElements(call, arrays),
      };
    },
  },
  strcat_array: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const array = arrayOf(call, 0, ctx, c);
      const text = array.element === 'string' ? array.sql : `arrayMap(__x -> ${dynamicText('__x')}, ${array.sql})`;
      return {
        sql: `arrayStringConcat(${array.element === 'number' || array.element === 'bool' ? `arrayMap(__x -> toString(__x), ${array.sql})` : text}, ${stringOf(call, 1, ctx, c)})`,
        type: 'string',
      };
    },
  },
  case: {
    args: [3, 255],
    compile: (call, ctx, c) => {
      if (call.args.length % 2 !== 1) {
        throw new QueryError('case() takes pairs of a condition and a value, then the value otherwise', call.span);
      }
      const conditions: string[] = [];
      const values: Typed[] = [];
      for (let i = 0; i + 1 < call.args.length; i += 2) {
        conditions.push(asBool(arg(call, i, ctx, c), call.args[i].span, 'case()'));
        values.push(arg(call, i + 1, ctx, c));
      }
      values.push(arg(call, call.args.length - 1, ctx, c));
      const [type, sqls] = unifyBranches(values, call.span, call.name);
      const parts = conditions.map((cond, i) => `${cond}, ${sqls[i]}`);
      return {
        sql: `multiIf(${parts.join(', ')}, ${sqls[sqls.length - 1]})`,
        type,
        nullable: true,
        element: values[0].element,
      };
    },
  },
  coalesce: {
    args: [1, 64],
    compile: (call, ctx, c) => {
      const values = call.args.map((_, i) => arg(call, i, ctx, c));
      const [type, sqls] = unifyBranches(values, call.span, call.name);
      if (type === 'string' || type === 'dynamic') {
        // The first value that is not empty: text and dynamic values hold no NULL here.
        const parts = sqls.slice(0, -1).map((sql) => `${sql} != '', ${sql}`);
        return { sql: parts.length === 0 ? sqls[0] : `multiIf(${parts.join(', ')}, ${sqls[sqls.length - 1]})`, type };
      }
      return { sql: `coalesce(${sqls.join(', ')})`, type, nullable: true };
    },
  },
  max_of: { args: [1, 64], compile: (call, ctx, c) => extremeOf('greatest', call, ctx, c) },
  min_of: { args: [1, 64], compile: (call, ctx, c) => extremeOf('least', call, ctx, c) },
  extract_all: {
    args: [2, 3],
    compile: (call, ctx, c) => {
      const pattern = constText(call, 0, ctx, c, 'a constant regular expression');
      const groups = checkRegex(pattern, call.args[0].span);
      if (groups > 1 || call.args.length === 3) {
        throw new QueryError('extract_all() with several capture groups is not supported: use one group, or extract()', call.args[0].span);
      }
      const text = stringOf(call, 1, ctx, c);
      return { sql: `extractAll(${text}, ${ctx.params.add('String', pattern)})`, type: 'array', element: 'string' };
    },
  },
  replace_string: {
    args: [3, 3],
    compile: (call, ctx, c) => {
      return {
        sql: `replaceAll(${stringOf(call, 0, ctx, c)}, ${stringOf(call, 1, ctx, c)}, ${stringOf(call, 2, ctx, c)})`,
        type: 'string',
      };
    },
  },
  replace_regex: {
    args: [3, 3],
    compile: (call, ctx, c) => {
      const pattern = constText(call, 1, ctx, c, 'a constant regular expression');
      checkRegex(pattern, call.args[1].span);
      const rewrite = constText(call, 2, ctx, c, 'a constant rewrite').replace(/\\(\d)/g, '\\$1');
      return {
        sql: `replaceRegexpAll(${stringOf(call, 0, ctx, c)}, ${ctx.params.add('String', pattern)}, ${ctx.params.add('String', rewrite)})`,
        type: 'string',
      };
    },
  },
  trim: { args: [2, 2], compile: (call, ctx, c) => trimmed(call, ctx, c, '^(?:{re})+|(?:{re})+$') },
  trim_start: { args: [2, 2], compile: (call, ctx, c) => trimmed(call, ctx, c, '^(?:{re})+') },
  trim_end: { args: [2, 2], compile: (call, ctx, c) => trimmed(call, ctx, c, '(?:{re})+$') },
  indexof: {
    args: [2, 2],
    compile: (call, ctx, c) => ({
      sql: `(toInt64(positionUTF8(${stringOf(call, 0, ctx, c)}, ${stringOf(call, 1, ctx, c)})) - 1)`,
      type: 'number',
    }),
  },
  indexof_regex: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const pattern = constText(call, 1, ctx, c, 'a constant regular expression');
      checkRegex(pattern, call.args[1].span);
      const text = stringOf(call, 0, ctx, c);
      const re = ctx.params.add('String', pattern);
      return {
        sql: `if(match(${text}, ${re}), toInt64(position(${text}, regexpExtract(${text}, ${re}, 0))) - 1, -1)`,
        type: 'number',
      };
    },
  },
  countof: {
    args: [2, 2],
    compile: (call, ctx, c) => ({
      sql: `toInt64(countSubstrings(${stringOf(call, 0, ctx, c)}, ${stringOf(call, 1, ctx, c)}))`,
      type: 'number',
    }),
  },
  reverse: {
    args: [1, 1],
    compile: (call, ctx, c) => ({ sql: `reverseUTF8(${stringOf(call, 0, ctx, c)})`, type: 'string' }),
  },
  base64_decode_tostring: {
    args: [1, 1],
    compile: (call, ctx, c) => ({ sql: `ifNull(tryBase64Decode(${stringOf(call, 0, ctx, c)}), '')`, type: 'string' }),
  },
  tobool: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      if (value.type === 'bool') {
        return value;
      }
      if (value.type === 'number') {
        return { sql: `if(isNull(${value.sql}), NULL, ${value.sql} != 0)`, type: 'bool', nullable: true };
      }
      const text = `lowerUTF8(${asString(value, call.args[0].span)})`;
      return {
        sql: `multiIf(${text} IN ('true', '1'), true, ${text} IN ('false', '0'), false, NULL)`,
        type: 'bool',
        nullable: true,
      };
    },
  },
  todatetime: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      if (value.type === 'time') {
        return value;
      }
      if (value.constant?.kind === 'string') {
        return {
          sql: huntingTime(value.constant.value, call.args[0].span, ctx) ?? asTime(value, call.args[0].span, ctx.params),
          type: 'time',
        };
      }
      if (value.type === 'number') {
        throw new QueryError('todatetime() of a number is not supported: use unixtime_seconds_todatetime()', call.args[0].span);
      }
      return {
        sql: `parseDateTime64BestEffortOrNull(${asString(value, call.args[0].span)}, 3, 'UTC')`,
        type: 'time',
        nullable: true,
      };
    },
  },
  unixtime_seconds_todatetime: {
    args: [1, 1],
    compile: (call, ctx, c) => ({
      sql: `toDateTime64(${asNumber(arg(call, 0, ctx, c), call.args[0].span)}, 3, 'UTC')`,
      type: 'time',
      nullable: true,
    }),
  },
  totimespan: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      if (value.type === 'timespan') {
        return value;
      }
      const text = constantArg(call, 0, 'string', ctx, c, 'a constant timespan such as "1h" or "01:30:00"').value;
      const millis = timespanText(text);
      if (millis === undefined) {
        throw new QueryError(`"${text}" is not a timespan (expected 1h, 30m or [d.]hh:mm:ss)`, call.args[0].span);
      }
      checkTimespan(millis, call.args[0].span);
      return { sql: ctx.params.add('Int64', millis), type: 'timespan', constant: { kind: 'timespan', millis } };
    },
  },
  format_datetime: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const time = asTime(arg(call, 0, ctx, c), call.args[0].span, ctx.params);
      const format = dateFormat(constText(call, 1, ctx, c, 'a constant format such as "yyyy-MM-dd"'), call.args[1].span);
      return { sql: `formatDateTime(${time}, ${ctx.params.add('String', format)})`, type: 'string' };
    },
  },
  startofday: startOf('toStartOfDay'),
  startofweek: startOf('toStartOfWeek'),
  startofmonth: startOf('toStartOfMonth'),
  startofyear: startOf('toStartOfYear'),
  datetime_diff: {
    args: [3, 3],
    compile: (call, ctx, c) => {
      const unit = period(call, 0, ctx, c);
      const a = asTime(arg(call, 1, ctx, c), call.args[1].span, ctx.params);
      const b = asTime(arg(call, 2, ctx, c), call.args[2].span, ctx.params);
      return { sql: `dateDiff(${ctx.params.add('String', unit)}, ${b}, ${a})`, type: 'number', nullable: true };
    },
  },
  datetime_add: {
    args: [3, 3],
    compile: (call, ctx, c) => {
      const unit = period(call, 0, ctx, c);
      const amount = `toInt64(${asNumber(arg(call, 1, ctx, c), call.args[1].span)})`;
      const time = asTime(arg(call, 2, ctx, c), call.args[2].span, ctx.params);
      const fn = `toInterval${unit[0].toUpperCase()}${unit.slice(1)}`;
      return { sql: `(${time} + ${fn}(${amount}))`, type: 'time', nullable: true };
    },
  },
  dayofweek: {
    args: [1, 1],
    // KQL gives the days since Sunday as a timespan.
    compile: (call, ctx, c) => ({
      sql: `(toInt64(toDayOfWeek(${asTime(arg(call, 0, ctx, c), call.args[0].span, ctx.params)}, 2)) * 86400000)`,
      type: 'timespan',
      nullable: true,
    }),
  },
  hourofday: {
    args: [1, 1],
    compile: (call, ctx, c) => ({
      sql: `toInt64(toHour(${asTime(arg(call, 0, ctx, c), call.args[0].span, ctx.params)}))`,
      type: 'number',
      nullable: true,
    }),
  },
  ipv4_is_match: { args: [2, 3], compile: ipv4Match },
  parse_ipv4: {
    args: [1, 1],
    compile: (call, ctx, c) => ({
      sql: `toInt64(IPv4StringToNumOrNull(${stringOf(call, 0, ctx, c)}))`,
      type: 'number',
      nullable: true,
    }),
  },
  ipv4_is_private_range: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const ip = stringOf(call, 0, ctx, c);
      return { sql: `(${PRIVATE_V4.map((cidr) => inRange(ip, cidr, ctx)).join(' OR ')})`, type: 'bool' };
    },
  },
  gettype: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      if (value.type !== 'dynamic') {
        const name = {
          string: 'string',
          number: 'real',
          time: 'datetime',
          bool: 'bool',
          timespan: 'timespan',
          array: 'array',
          map: 'dictionary',
          null: 'null',
        }[value.type];
        return { sql: ctx.params.add('String', name), type: 'string' };
      }
      const kinds = `multiIf(${value.sql} = '', 'null', JSONType(${value.sql}) = 'Object', 'dictionary', JSONType(${value.sql}) = 'Array', 'array', JSONType(${value.sql}) = 'String', 'string', JSONType(${value.sql}) = 'Bool', 'bool', JSONType(${value.sql}) = 'Double', 'real', JSONType(${value.sql}) = 'Null', 'null', 'long')`;
      return { sql: kinds, type: 'string' };
    },
  },
  sqrt: { args: [1, 1], compile: (call, ctx, c) => math('sqrt', call, ctx, c) },
  log: { args: [1, 1], compile: (call, ctx, c) => math('log', call, ctx, c) },
  log10: { args: [1, 1], compile: (call, ctx, c) => math('log10', call, ctx, c) },
  exp: { args: [1, 1], compile: (call, ctx, c) => math('exp', call, ctx, c) },
  ceiling: { args: [1, 1], compile: (call, ctx, c) => math('ceil', call, ctx, c) },
  pow: {
    args: [2, 2],
    compile: (call, ctx, c) => ({
      sql: `pow(${asNumber(arg(call, 0, ctx, c), call.args[0].span)}, ${asNumber(arg(call, 1, ctx, c), call.args[1].span)})`,
      type: 'number',
      nullable: true,
    }),
  },
  ...SERIES_FUNCTIONS,
};

function math(fn: string, call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  return { sql: `${fn}(${asNumber(arg(call, 0, ctx, c), call.args[0].span)})`, type: 'number', nullable: true };
}

function numbersOf(array: Typed): string {
  return array.element === 'dynamic' ? `arrayMap(__x -> toFloat64OrNull(__x), ${array.sql})` : array.sql;
}

function extremeOf(fn: 'greatest' | 'least', call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  const values = call.args.map((_, i) => arg(call, i, ctx, c));
  const [type, sqls] = unifyBranches(values, call.span, call.name);
  if (type === 'string' || type === 'dynamic') {
    // Empty values are nulls and lose to anything.
    const nulled = sqls.map((sql) => `nullIf(${sql}, '')`);
    return { sql: `ifNull(${fn}(${nulled.join(', ')}), '')`, type };
  }
  return { sql: `${fn}(${sqls.join(', ')})`, type, nullable: true };
}

function trimmed(call: CallExpr, ctx: ExprContext, c: Compiler, shape: string): Typed {
  const pattern = constText(call, 0, ctx, c, 'a constant regular expression');
  checkRegex(pattern, call.args[0].span);
  const regex = shape.replace(/\{re\}/g, pattern);
  return {
    sql: `replaceRegexpAll(${stringOf(call, 1, ctx, c)}, ${ctx.params.add('String', regex)}, '')`,
    type: 'string',
  };
}

/** `1h`, `30m`, `1.02:03:04`, `02:03:04` → milliseconds. */
function timespanText(text: string): number | undefined {
  const simple = parseTimespan(text);
  if (simple !== undefined) {
    return simple;
  }
  const m = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*$/.exec(text);
  if (!m) {
    return undefined;
  }
  const [, minus, d = '0', h, mi, sec = '0', frac = ''] = m;
  const ms = ((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60_000 + Number(sec) * 1000 + (frac ? Math.round(Number(frac) * 1000) : 0);
  return minus ? -ms : ms;
}

/**
 * Sentinel fills `{{StartTimeISO}}` and `{{EndTimeISO}}` of a hunting query with the time range
 * it is run over: here, the request's range. Any other `{...}` text is a workbook's parameter.
 */
export function huntingTime(text: string, span: Span, ctx: ExprContext): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '{{StartTimeISO}}') {
    return ctx.timeRange.from;
  }
  if (trimmed === '{{EndTimeISO}}') {
    return ctx.timeRange.to;
  }
  if (/^\{[^{}]*\}$|^\{\{[^{}]*\}\}$/.test(trimmed) && parseTime(trimmed) === undefined) {
    throw new QueryError(
      `"${trimmed}" is Sentinel workbook syntax (a parameter the workbook fills in), not a time: use a time, ago(1d), or $__from / $__to`,
      span,
      ['$__from', '$__to']
    );
  }
  return undefined;
}
