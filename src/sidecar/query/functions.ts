import { isIPv6 } from 'node:net';
import type { Expr } from './ast';
import { asBool, asDynamic, asInterval, asNumber, asString, describe } from './coerce';
import type { Constant, ExprContext, Typed } from './context';
import { QueryError, type Span } from './errors';
import { checkRegex } from './regex';
import { clickHouseTime, parseTime, TIME_PARAM } from './time';

export type CallExpr = Extract<Expr, { kind: 'call' }>;

/** Compiles a sub-expression; `constantOf` evaluates one the compiler can know. */
export interface Compiler {
  compile(expr: Expr, ctx: ExprContext): Typed;
  constantOf(expr: Expr, ctx: ExprContext): Constant | undefined;
}

export interface FunctionSpec {
  args: [min: number, max: number];
  compile(call: CallExpr, ctx: ExprContext, c: Compiler): Typed;
}

export const NOW = "now64(3, 'UTC')";
export const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const CIDR_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export const arg = (call: CallExpr, i: number, ctx: ExprContext, c: Compiler) => c.compile(call.args[i], ctx);

/** A constant of the given kind, or a clear error at the argument. */
export function constantArg<K extends Constant['kind']>(
  call: CallExpr,
  i: number,
  kind: K,
  ctx: ExprContext,
  c: Compiler,
  what: string
): Extract<Constant, { kind: K }> {
  const value = c.constantOf(call.args[i], ctx);
  if (!value || value.kind !== kind) {
    throw new QueryError(`${call.name}() needs ${what} as argument ${i + 1}`, call.args[i].span);
  }
  return value as Extract<Constant, { kind: K }>;
}

export function integerArg(call: CallExpr, i: number, ctx: ExprContext, c: Compiler, min: number): number {
  const value = constantArg(call, i, 'number', ctx, c, 'a whole number').value;
  if (!Number.isInteger(value) || value < min || value > 1_000_000) {
    throw new QueryError(`${call.name}() needs a whole number from ${min} to 1000000 as argument ${i + 1}`, call.args[i].span);
  }
  return value;
}

export function stringOf(call: CallExpr, i: number, ctx: ExprContext, c: Compiler): string {
  return asString(arg(call, i, ctx, c), call.args[i].span);
}

/** The range in canonical form (`010.0.0.0/8` → `10.0.0.0/8`), or an error when it is no IPv4 range. */
export function checkCidr(cidr: string, span: Span): string {
  const m = CIDR_V4.exec(cidr);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    throw new QueryError(`"${cidr}" is not an IPv4 range such as 10.0.0.0/8`, span);
  }
  return `${m.slice(1, 5).map(Number).join('.')}/${Number(m[5])}`;
}

export function inRange(ip: string, cidr: string, ctx: ExprContext): string {
  // The engine may evaluate both sides of AND on every row: text that is no address must not reach isIPAddressInRange.
  return `(isIPv4String(${ip}) AND isIPAddressInRange(if(isIPv4String(${ip}), ${ip}, '0.0.0.0'), ${ctx.params.add('String', cidr)}))`;
}

/** The prefix in canonical form (`2001:DB8::/032` → `2001:db8::/32`), or an error when it is no IPv6 prefix. */
export function checkCidr6(cidr: string, span: Span): string {
  const m = /^([0-9A-Fa-f:.]+)\/(\d{1,3})$/.exec(cidr);
  if (!m || !isIPv6(m[1]) || Number(m[2]) > 128) {
    throw new QueryError(`"${cidr}" is not an IPv6 prefix such as 2001:db8::/32`, span);
  }
  return `${m[1].toLowerCase()}/${Number(m[2])}`;
}

function castTo(value: Typed, span: Span, name: string, fromText: string, fromNumber: string): Typed {
  if (value.type === 'string' || value.type === 'dynamic') {
    return { sql: `${fromText}(${asString(value, span)})`, type: 'number', nullable: true };
  }
  if (value.type === 'timespan') {
    return { sql: `${fromNumber}(${value.sql})`, type: 'number', nullable: value.nullable };
  }
  if (value.type === 'number' || value.type === 'bool') {
    return { sql: `${fromNumber}(${value.sql})`, type: 'number', nullable: value.nullable };
  }
  throw new QueryError(`${name}() takes text or a number, got ${describe(value)}`, span);
}

/** Scalar functions: the only ones a query can call. */
export const FUNCTIONS: Record<string, FunctionSpec> = {
  ago: {
    args: [1, 1],
    compile: (call, ctx, c) => ({ sql: `(${NOW} - ${asInterval(arg(call, 0, ctx, c), call.args[0].span)})`, type: 'time' }),
  },
  now: {
    args: [0, 1],
    compile: (call, ctx, c) =>
      call.args.length === 0 ? { sql: NOW, type: 'time' } : { sql: `(${NOW} + ${asInterval(arg(call, 0, ctx, c), call.args[0].span)})`, type: 'time' },
  },
  datetime: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const text = constantArg(call, 0, 'string', ctx, c, 'an ISO 8601 time').value;
      const ms = parseTime(text);
      if (ms === undefined) {
        throw new QueryError(`"${text}" is not a time (expected ISO 8601, e.g. 2024-03-01T10:00:00Z)`, call.args[0].span);
      }
      return { sql: ctx.params.add(TIME_PARAM, clickHouseTime(ms)), type: 'time' };
    },
  },
  bin: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      const size = arg(call, 1, ctx, c);
      if (value.type === 'time') {
        if (size.constant?.kind !== 'timespan' || size.constant.millis <= 0) {
          throw new QueryError('bin() of a time needs a positive timespan such as 1h or $__interval', call.args[1].span);
        }
        return { sql: `toStartOfInterval(${value.sql}, ${asInterval(size, call.args[1].span)})`, type: 'time' };
      }
      if (size.constant?.kind !== 'number' || size.constant.value <= 0) {
        throw new QueryError('bin() of a number needs a positive number as bucket size', call.args[1].span);
      }
      const number = asNumber(value, call.args[0].span);
      return { sql: `(floor(${number} / ${size.sql}) * ${size.sql})`, type: 'number', nullable: value.nullable || value.type === 'string' };
    },
  },
  tostring: {
    args: [1, 1],
    compile: (call, ctx, c) => ({ sql: stringOf(call, 0, ctx, c), type: 'string' }),
  },
  toint: { args: [1, 1], compile: (call, ctx, c) => castTo(arg(call, 0, ctx, c), call.args[0].span, call.name, 'toInt64OrNull', 'toInt64') },
  tolong: { args: [1, 1], compile: (call, ctx, c) => castTo(arg(call, 0, ctx, c), call.args[0].span, call.name, 'toInt64OrNull', 'toInt64') },
  todouble: { args: [1, 1], compile: (call, ctx, c) => castTo(arg(call, 0, ctx, c), call.args[0].span, call.name, 'toFloat64OrNull', 'toFloat64') },
  toreal: { args: [1, 1], compile: (call, ctx, c) => castTo(arg(call, 0, ctx, c), call.args[0].span, call.name, 'toFloat64OrNull', 'toFloat64') },
  tolower: { args: [1, 1], compile: (call, ctx, c) => ({ sql: `lowerUTF8(${stringOf(call, 0, ctx, c)})`, type: 'string' }) },
  toupper: { args: [1, 1], compile: (call, ctx, c) => ({ sql: `upperUTF8(${stringOf(call, 0, ctx, c)})`, type: 'string' }) },
  strlen: { args: [1, 1], compile: (call, ctx, c) => ({ sql: `lengthUTF8(${stringOf(call, 0, ctx, c)})`, type: 'number' }) },
  strcat: {
    args: [1, 64],
    compile: (call, ctx, c) => ({
      sql: `concat(${call.args.map((_, i) => stringOf(call, i, ctx, c)).join(', ')}${call.args.length === 1 ? ", ''" : ''})`,
      type: 'string',
    }),
  },
  substring: {
    args: [2, 3],
    compile: (call, ctx, c) => {
      const text = stringOf(call, 0, ctx, c);
      const start = `toInt64(${asNumber(arg(call, 1, ctx, c), call.args[1].span)} + 1)`;
      const length = call.args.length > 2 ? `, toInt64(${asNumber(arg(call, 2, ctx, c), call.args[2].span)})` : '';
      return { sql: `substringUTF8(${text}, ${start}${length})`, type: 'string' };
    },
  },
  split: {
    args: [2, 3],
    compile: (call, ctx, c) => {
      const delimiter = constantArg(call, 1, 'string', ctx, c, 'a constant delimiter').value;
      if (delimiter === '') {
        throw new QueryError('split() needs a non-empty delimiter', call.args[1].span);
      }
      const parts = `splitByString(${ctx.params.add('String', delimiter)}, ${stringOf(call, 0, ctx, c)})`;
      if (call.args.length === 2) {
        return { sql: parts, type: 'array', element: 'string' };
      }
      // split(text, delimiter, i): the i-th part alone, in an array (empty when there is none).
      const index = integerArg(call, 2, ctx, c, 0);
      const at = ctx.params.add('Int64', index + 1);
      return { sql: `if(length(${parts}) >= ${at}, [arrayElement(${parts}, ${at})], [])`, type: 'array', element: 'string' };
    },
  },
  extract: {
    args: [3, 3],
    compile: (call, ctx, c) => {
      const pattern = constantArg(call, 0, 'string', ctx, c, 'a constant regular expression').value;
      const groups = checkRegex(pattern, call.args[0].span);
      const group = integerArg(call, 1, ctx, c, 0);
      if (group > groups) {
        throw new QueryError(`the regular expression has ${groups} capture group(s); group ${group} does not exist`, call.args[1].span);
      }
      const text = stringOf(call, 2, ctx, c);
      return { sql: `regexpExtract(${text}, ${ctx.params.add('String', pattern)}, ${ctx.params.add('UInt32', group)})`, type: 'string' };
    },
  },
  iff: { args: [3, 3], compile: (call, ctx, c) => conditional(call, ctx, c) },
  iif: { args: [3, 3], compile: (call, ctx, c) => conditional(call, ctx, c) },
  isnull: { args: [1, 1], compile: (call, ctx, c) => emptiness(arg(call, 0, ctx, c), true) },
  isnotnull: { args: [1, 1], compile: (call, ctx, c) => negate(emptiness(arg(call, 0, ctx, c), true)) },
  isempty: { args: [1, 1], compile: (call, ctx, c) => emptiness(arg(call, 0, ctx, c), false) },
  isnotempty: { args: [1, 1], compile: (call, ctx, c) => negate(emptiness(arg(call, 0, ctx, c), false)) },
  ipv4_is_in_range: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const constant = c.constantOf(call.args[1], ctx);
      const ip = stringOf(call, 0, ctx, c);
      if (constant?.kind === 'string') {
        return { sql: inRange(ip, checkCidr(constant.value, call.args[1].span), ctx), type: 'bool' };
      }
      // A range from the data: text that is no IPv4 range matches nothing.
      const range = stringOf(call, 1, ctx, c);
      const valid = `(isIPv4String(arrayElement(splitByChar('/', ${range}), 1)) AND match(${range}, ${ctx.params.add('String', '/(3[0-2]|[12]?[0-9])$')}))`;
      return {
        sql: `(isIPv4String(${ip}) AND ${valid} AND isIPAddressInRange(if(isIPv4String(${ip}), ${ip}, '0.0.0.0'), if(${valid}, ${range}, '0.0.0.0/32')))`,
        type: 'bool',
      };
    },
  },
  ipv6_is_in_range: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const prefix = constantArg(call, 1, 'string', ctx, c, 'a constant IPv6 prefix such as "2001:db8::/32"').value;
      const ip = stringOf(call, 0, ctx, c);
      return { sql: `(isIPv6String(${ip}) AND isIPAddressInRange(${ip}, ${ctx.params.add('String', checkCidr6(prefix, call.args[1].span))}))`, type: 'bool' };
    },
  },
  ipv4_is_private: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const ip = stringOf(call, 0, ctx, c);
      return { sql: `(${PRIVATE_V4.map((cidr) => inRange(ip, cidr, ctx)).join(' OR ')})`, type: 'bool' };
    },
  },
  extract_json: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const path = constantArg(call, 0, 'string', ctx, c, 'a constant JSONPath such as "$.a.b"').value;
      const keys = jsonPath(path, call.args[0].span).map((k) => (typeof k === 'number' ? ctx.params.add('Int64', k + 1) : ctx.params.add('String', k)));
      const args = [stringOf(call, 1, ctx, c), ...keys].join(', ');
      return {
        sql: `multiIf(JSONType(${args}) = 'String', JSONExtractString(${args}), JSONType(${args}) = 'Null', '', JSONExtractRaw(${args}))`,
        type: 'string',
      };
    },
  },
  bag_has_key: {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const bag = arg(call, 0, ctx, c);
      if (bag.type !== 'map') {
        throw new QueryError(`bag_has_key() takes the fields map as argument 1, got ${describe(bag)}`, call.args[0].span, ['fields']);
      }
      const key = constantArg(call, 1, 'string', ctx, c, 'a constant field name').value;
      return { sql: `mapContains(${bag.sql}, ${ctx.params.add('String', key)})`, type: 'bool' };
    },
  },
  array_length: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const value = arg(call, 0, ctx, c);
      if (value.type === 'array') {
        return { sql: `length(${value.sql})`, type: 'number' };
      }
      if (value.type === 'string' || value.type === 'dynamic') {
        return { sql: `if(JSONType(${value.sql}) = 'Array', length(JSONExtractArrayRaw(${value.sql})), NULL)`, type: 'number', nullable: true };
      }
      throw new QueryError(`array_length() takes an array, got ${describe(value)}`, call.args[0].span);
    },
  },
  round: {
    args: [1, 2],
    compile: (call, ctx, c) => {
      const value = asNumber(arg(call, 0, ctx, c), call.args[0].span);
      const digits = call.args.length > 1 ? `, ${ctx.params.add('UInt8', integerArg(call, 1, ctx, c, 0))}` : '';
      return { sql: `round(${value}${digits})`, type: 'number', nullable: true };
    },
  },
  abs: { args: [1, 1], compile: (call, ctx, c) => ({ sql: `abs(${asNumber(arg(call, 0, ctx, c), call.args[0].span)})`, type: 'number', nullable: true }) },
};

const JSON_PATH_STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d{1,9})\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\])/;
const MAX_JSON_PATH_STEPS = 32;

/** The keys and (0-based) indexes of a JSONPath: `$.a.b`, `$['a.b']`, `$.a[0]`. */
function jsonPath(path: string, span: Span): Array<string | number> {
  if (!path.startsWith('$')) {
    throw new QueryError(`"${path}" is not a JSONPath: it starts with $, e.g. $.requestParameters.bucketName`, span);
  }
  const steps: Array<string | number> = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const m = JSON_PATH_STEP.exec(rest);
    if (!m || steps.length >= MAX_JSON_PATH_STEPS) {
      throw new QueryError(`cannot read the JSONPath "${path}" at "${rest}" (use .name, ['name'] or [index], at most ${MAX_JSON_PATH_STEPS} steps)`, span);
    }
    const quoted = m[3] ?? m[4];
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : quoted.replace(/\\(.)/g, '$1')));
    rest = rest.slice(m[0].length);
  }
  return steps;
}

function conditional(call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  const condition = asBool(arg(call, 0, ctx, c), call.args[0].span, `${call.name}()`);
  const then = arg(call, 1, ctx, c);
  const otherwise = arg(call, 2, ctx, c);
  const [type, branches] = unifyBranches([then, otherwise], call.span, call.name);
  return {
    sql: `if(${condition}, ${branches[0]}, ${branches[1]})`,
    type,
    nullable: true,
    element: then.element ?? otherwise.element,
    json: then.json && otherwise.json,
  };
}

/**
 * The one type of the branches of iff() and case(): nulls take the others' type, a dynamic branch
 * makes the others dynamic. SQL of each branch in it.
 */
export function unifyBranches(values: Typed[], span: Span, name: string): [Typed['type'], string[]] {
  const types = new Set(values.map((v) => v.type).filter((t) => t !== 'null'));
  if (types.size === 0) {
    return ['null', values.map((v) => v.sql)];
  }
  if (types.has('dynamic')) {
    return ['dynamic', values.map((v) => (v.type === 'null' ? `''` : asDynamic(v, span)))];
  }
  if (types.size > 1) {
    const first = values.find((v) => v.type !== 'null') as Typed;
    const other = values.find((v) => v.type !== first.type && v.type !== 'null') as Typed;
    throw new QueryError(`${name}() needs every branch of one type, got ${describe(first)} and ${describe(other)}`, span);
  }
  const [type] = types;
  if (type === 'number' && values.length > 1) {
    // Numbers of different SQL types (UInt64 bytes or count(), an Int64 literal) have no common type in ClickHouse: one is made.
    return [type, values.map((v) => (v.type === 'null' ? v.sql : `toFloat64(${v.sql})`))];
  }
  return [type, values.map((v) => (v.type === 'null' && type === 'string' ? `''` : v.sql))];
}

/**
 * isnull/isempty. Text never holds NULL here (a missing or null map field reads as ""), so
 * for text both test for the empty string; for numbers and times both test for NULL.
 */
export function emptiness(value: Typed, nullTest: boolean): Typed {
  switch (value.type) {
    case 'string':
      return { sql: `empty(${value.sql})`, type: 'bool' };
    case 'dynamic':
      // Null is ""; isempty() is also true for an empty JSON string.
      return { sql: nullTest ? `(${value.sql} = '')` : `(${value.sql} IN ('', '""'))`, type: 'bool' };
    case 'array':
    case 'map':
      return { sql: nullTest ? 'false' : `empty(${value.sql})`, type: 'bool' };
    default:
      return { sql: `isNull(${value.sql})`, type: 'bool' };
  }
}

export function negate(value: Typed): Typed {
  return { sql: `(NOT ${value.sql})`, type: 'bool' };
}
