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
  throw new QueryError(
    `${call.name}() takes a series (an array of numbers), got ${describe(value)}`,
    call.args[i].span
  );
}

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
      const s = `arrayFilter(__x -> NOT isNull(__x), ${seriesOf(call, 0, ctx, c)})`;
      const field = (name: string, sql: string) => `'"${name}":', ifNull(toString(${sql}), 'null')`;
      const parts = [
        field('min', `arrayMin(${s})`),
        field('min_idx', `toInt64(indexOf(${s}, arrayMin(${s}))) - 1`),
        field('max', `arrayMax(${s})`),
        field('max_idx', `toInt64(indexOf(${s}, arrayMax(${s}))) - 1`),
        field('avg', `arrayAvg(${s})`),
        field(
          'stdev',
          `if(length(${s}) > 1, sqrt(arraySum(arrayMap(__y -> pow(__y - arrayAvg(${s}), 2), ${s})) / (length(${s}) - 1)), 0)`
        ),
        field(
          'variance',
          `if(length(${s}) > 1, arraySum(arrayMap(__y -> pow(__y - arrayAvg(${s}), 2), ${s})) / (length(${s}) - 1), 0)`
        ),
      ];
      return { sql: `if(empty(${s}), '', concat('{', ${parts.join(", ',', ")}, '}'))`, type: 'dynamic' };
    },
  },
  series_fit_line_dynamic: {
    args: [1, 1],
    compile: (call, ctx, c) => {
      const y = `arrayMap(__v -> ifNull(__v, 0), ${seriesOf(call, 0, ctx, c)})`;
      const n = `length(${y})`;
      const sx = `(${n} * (${n} - 1) / 2)`;
      const sxx = `((${n} - 1) * ${n} * (2 * ${n} - 1) / 6)`;
      const sy = `arraySum(${y})`;
      const sxy = `arraySum(arrayMap((__v, __i) -> __v * (__i - 1), ${y}, arrayEnumerate(${y})))`;
      const slope = `if(${n} < 2, 0, (${n} * ${sxy} - ${sx} * ${sy}) / (${n} * ${sxx} - ${sx} * ${sx}))`;
      const intercept = `if(${n} = 0, 0, (${sy} - ${slope} * ${sx}) / ${n})`;
      const fit = `arrayMap(__i -> ${intercept} + ${slope} * (__i - 1), arrayEnumerate(${y}))`;
      const ssRes = `arraySum(arrayMap((__v, __f) -> pow(__v - __f, 2), ${y}, ${fit}))`;
      const ssTot = `arraySum(arrayMap(__v -> pow(__v - ${sy} / ${n}, 2), ${y}))`;
      const parts = [
        `'"rsquare":', toString(if(${ssTot} = 0, 1, 1 - ${ssRes} / ${ssTot}))`,
        `'"slope":', toString(${slope})`,
        `'"variance":', toString(if(${n} = 0, 0, ${ssTot} / ${n}))`,
        `'"rvariance":', toString(if(${n} = 0, 0, ${ssRes} / ${n}))`,
        `'"interception":', toString(${intercept})`,
        `'"line_fit":', toJSONString(${fit})`,
      ];
      return { sql: `if(${n} = 0, '', concat('{', ${parts.join(", ',', ")}, '}'))`, type: 'dynamic' };
    },
  },
};
