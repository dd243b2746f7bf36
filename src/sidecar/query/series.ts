import { asNumber, describe } from './coerce';
import type { ExprContext, Typed } from './context';
import { QueryError } from './errors';
import { arg, type CallExpr, type Compiler, type FunctionSpec } from './functions';

// The series_* functions over the arrays make-series builds (and any array of numbers).

/** A series argument: an array of numbers, or a dynamic JSON array read as numbers. */
function seriesOf(call: CallExpr, i: number, ctx: ExprContext, c: Compiler): string {
  const value = arg(call, i, ctx, c);
  if (value.type === 'array' && (value.element === 'number' || value.element === undefined)) {
    return value.sql;
  }
  if (value.type === 'array' && value.element === 'dynamic') {
    return `arrayMap(__x -> toFloat64OrNull(__x), ${value.sql})`;
  }
  if (value.type === 'dynamic') {
    return `arrayMap(__x -> toFloat64OrNull(__x), JSONExtractArrayRaw(${value.sql}))`;
  }
  throw new QueryError(`${call.name}() takes a series (an array of numbers), got ${describe(value)}`, call.args[i].span);
}

/** `body` with `name` standing for `value`, computed once: a one-element arrayMap is SQL's let. */
const bind = (name: string, value: string, body: string) => `arrayElement(arrayMap(${name} -> ${body}, [${value}]), 1)`;

const series = (sql: string): Typed => ({ sql, type: 'array', element: 'number' });

/** series_add(a, b) and friends: element by element, b a series or a number. */
function elementwise(op: string): FunctionSpec {
  return {
    args: [2, 2],
    compile: (call, ctx, c) => {
      const a = seriesOf(call, 0, ctx, c);
      const other = arg(call, 1, ctx, c);
      if (other.type === 'number') {
        return series(`arrayMap(__x -> __x ${op} ${other.sql}, ${a})`);
      }
      const b = seriesOf(call, 1, ctx, c);
      return series(`arrayMap((__x, __y) -> __x ${op} __y, ${a}, arrayResize(${b}, length(${a})))`);
    },
  };
}

export const SERIES_FUNCTIONS: Record<string, FunctionSpec> = {
  series_add: elementwise('+'),
  series_subtract: elementwise('-'),
  series_multiply: elementwise('*'),
  series_divide: elementwise('/'),
  series_greater: {
    args: [2, 2],
    compile: (call, ctx, c) => ({
      sql: `arrayMap(__x -> __x > ${asNumber(arg(call, 1, ctx, c), call.args[1].span)}, ${seriesOf(call, 0, ctx, c)})`,
      type: 'array',
      element: 'bool',
    }),
  },
  series_less: {
    args: [2, 2],
    compile: (call, ctx, c) => ({
      sql: `arrayMap(__x -> __x < ${asNumber(arg(call, 1, ctx, c), call.args[1].span)}, ${seriesOf(call, 0, ctx, c)})`,
      type: 'array',
      element: 'bool',
    }),
  },
  series_abs: {
    args: [1, 1],
    compile: (call, ctx, c) => series(`arrayMap(__x -> abs(__x), ${seriesOf(call, 0, ctx, c)})`),
  },
  series_fill_const: {
    args: [1, 3],
    compile: (call, ctx, c) => {
      const value = call.args.length > 1 ? asNumber(arg(call, 1, ctx, c), call.args[1].span) : '0';
      return series(`arrayMap(__x -> ifNull(__x, ${value}), ${seriesOf(call, 0, ctx, c)})`);
    },
  },
  series_fill_forward: {
    args: [1, 2],
    compile: (call, ctx, c) => series(`arrayFill(__x -> NOT isNull(__x), ${seriesOf(call, 0, ctx, c)})`),
  },
  series_fill_backward: {
    args: [1, 2],
    compile: (call, ctx, c) => series(`arrayReverseFill(__x -> NOT isNull(__x), ${seriesOf(call, 0, ctx, c)})`),
  },
  series_stats_dynamic: {
    args: [1, 2],
    compile: (call, ctx, c) => {
      const values = `arrayFilter(__x -> NOT isNull(__x), ${seriesOf(call, 0, ctx, c)})`;
      const field = (name: string, sql: string) => `'"${name}":', ifNull(toString(${sql}), 'null')`;
      const variance = `if(length(__s) > 1, arraySum(arrayMap(__y -> pow(__y - arrayAvg(__s), 2), __s)) / (length(__s) - 1), 0)`;
      const parts = [
        field('min', 'arrayMin(__s)'),
        field('min_idx', 'toInt64(indexOf(__s, arrayMin(__s))) - 1'),
        field('max', 'arrayMax(__s)'),
        field('max_idx', 'toInt64(indexOf(__s, arrayMax(__s))) - 1'),
        field('avg', 'arrayAvg(__s)'),
        field('stdev', `sqrt(${variance})`),
        field('variance', variance),
      ];
      return {
        sql: bind('__s', values, `if(empty(__s), '', concat('{', ${parts.join(", ',', ")}, '}'))`),
        type: 'dynamic',
      };
    },
  },
  series_fit_line_dynamic: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      // Each value is bound once (bind), so the SQL grows with the series' SQL, not with each use of it.
      const y = `arrayMap(__v -> ifNull(__v, 0), ${seriesOf(call, 0, ctx, c)})`;
      const sums = `tuple(length(__y), arraySum(__y), arraySum(arrayMap((__v, __i) -> __v * (__i - 1), __y, arrayEnumerate(__y))))`;
      // __m: (n, sum y, sum x*y); x runs 0..n-1.
      const n = '__m.1';
      const sx = `(${n} * (${n} - 1) / 2)`;
      const sxx = `((${n} - 1) * ${n} * (2 * ${n} - 1) / 6)`;
      const slope = `if(${n} < 2, 0, (${n} * __m.3 - ${sx} * __m.2) / (${n} * ${sxx} - ${sx} * ${sx}))`;
      const intercept = `if(${n} = 0, 0, (__m.2 - ${slope} * ${sx}) / ${n})`;
      // __l: (slope, interception)
      const fit = 'arrayMap(__i -> __l.2 + __l.1 * (__i - 1), arrayEnumerate(__y))';
      const ssRes = `arraySum(arrayMap((__v, __f) -> pow(__v - __f, 2), __y, __fit))`;
      const ssTot = `arraySum(arrayMap(__v -> pow(__v - __m.2 / ${n}, 2), __y))`;
      const parts = [
        `'"rsquare":', toString(if(${ssTot} = 0, 1, 1 - ${ssRes} / ${ssTot}))`,
        `'"slope":', toString(__l.1)`,
        `'"variance":', toString(if(${n} = 0, 0, ${ssTot} / ${n}))`,
        `'"rvariance":', toString(if(${n} = 0, 0, ${ssRes} / ${n}))`,
        `'"interception":', toString(__l.2)`,
        `'"line_fit":', toJSONString(__fit)`,
      ];
      const body = `if(${n} = 0, '', concat('{', ${parts.join(", ',', ")}, '}'))`;
      const sql = bind('__y', y, bind('__m', sums, bind('__l', `tuple(${slope}, ${intercept})`, bind('__fit', fit, body))));
      return { sql, type: 'dynamic' };
    },
  },
};
