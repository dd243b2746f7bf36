import { asBool, asNumber, describe } from './coerce';
import type { ExprContext, Typed } from './context';
import { QueryError } from './errors';
import { constantArg, type CallExpr, type Compiler, type FunctionSpec } from './functions';

export interface AggregateSpec extends FunctionSpec {
  /** Prefix of the column name KQL gives an unnamed aggregate: `count_`, `dcount_actor`. */
  prefix: string;
  /** The whole name, when KQL's is more than the prefix and the first argument (`percentile_x_95`). */
  name?: (call: CallExpr, first: string) => string;
}

/** Aggregates see the rows of a group: their arguments are compiled row by row. */
export const rowArg = (call: CallExpr, i: number, ctx: ExprContext, c: Compiler): Typed => c.compile(call.args[i], { ...ctx, mode: 'row' });

export function sized(fn: string, call: CallExpr, ctx: ExprContext, c: Compiler, sizeArg = 1, condition?: string): Typed {
  const value = rowArg(call, 0, ctx, c);
  let params = '';
  if (call.args.length > sizeArg) {
    const max = constantArg(call, sizeArg, 'number', ctx, c, 'a whole number (the most values to keep)').value;
    if (!Number.isInteger(max) || max < 1 || max > 1_000_000) {
      throw new QueryError(`${call.name}() keeps from 1 to 1000000 values`, call.args[sizeArg].span);
    }
    params = `(${ctx.params.add('UInt64', max)})`;
  }
  const args = condition ? `${value.sql}, ${condition}` : value.sql;
  return { sql: `${fn}${condition ? 'If' : ''}${params}(${args})`, type: 'array', element: value.type === 'null' ? 'string' : value.type };
}

export const AGGREGATES: Record<string, AggregateSpec> = {
  count: { args: [0, 0], prefix: 'count_', compile: () => ({ sql: 'count()', type: 'number' }) },
  countif: {
    args: [1, 1],
    prefix: 'countif_',
    compile: (call, ctx, c) => ({ sql: `countIf(${asBool(rowArg(call, 0, ctx, c), call.args[0].span, 'countif()')})`, type: 'number' }),
  },
  dcount: { args: [1, 2], prefix: 'dcount_', compile: (call, ctx, c) => ({ sql: `uniq(${rowArg(call, 0, ctx, c).sql})`, type: 'number' }) },
  sum: {
    args: [1, 1],
    prefix: 'sum_',
    compile: (call, ctx, c) => ({ sql: `sum(${asNumber(rowArg(call, 0, ctx, c), call.args[0].span)})`, type: 'number', nullable: true }),
  },
  avg: {
    args: [1, 1],
    prefix: 'avg_',
    compile: (call, ctx, c) => ({ sql: `avg(${asNumber(rowArg(call, 0, ctx, c), call.args[0].span)})`, type: 'number', nullable: true }),
  },
  min: { args: [1, 1], prefix: 'min_', compile: (call, ctx, c) => extreme('min', rowArg(call, 0, ctx, c)) },
  max: { args: [1, 1], prefix: 'max_', compile: (call, ctx, c) => extreme('max', rowArg(call, 0, ctx, c)) },
  make_set: { args: [1, 2], prefix: 'set_', compile: (call, ctx, c) => sized('groupUniqArray', call, ctx, c) },
  make_list: { args: [1, 2], prefix: 'list_', compile: (call, ctx, c) => sized('groupArray', call, ctx, c) },
  take_any: { args: [1, 1], prefix: 'any_', compile: (call, ctx, c) => extreme('any', rowArg(call, 0, ctx, c)) },
  window_funnel: { args: [3, 34], prefix: 'funnel_', compile: (call, ctx, c) => windowFunnel(call, ctx, c) },
};

/**
 * `window_funnel(1h, time, step1, step2, ...)`: how many of the steps happened in order, each
 * within the timespan of the first (ClickHouse's windowFunnel, on millisecond times).
 */
function windowFunnel(call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  const window = c.constantOf(call.args[0], ctx);
  if (window?.kind !== 'timespan' || window.millis <= 0) {
    throw new QueryError('window_funnel() needs a positive timespan such as 1h as argument 1', call.args[0].span);
  }
  const time = rowArg(call, 1, ctx, c);
  if (time.type !== 'time') {
    throw new QueryError(`window_funnel() needs a time as argument 2, got ${describe(time)}`, call.args[1].span, ['time']);
  }
  const steps = call.args.slice(2).map((step, i) => asBool(rowArg(call, i + 2, ctx, c), step.span, 'window_funnel()'));
  const millis = `toUInt64(toUnixTimestamp64Milli(${time.sql}))`;
  return { sql: `windowFunnel(${ctx.params.add('UInt64', window.millis)})(${millis}, ${steps.join(', ')})`, type: 'number' };
}

/** Aggregates that yield a whole row's columns; only allowed as a summarize item of their own. */
export const ROW_AGGREGATES = new Set(['arg_max', 'arg_min']);

export function extreme(fn: string, value: Typed): Typed {
  return { sql: `${fn}(${value.sql})`, type: value.type, nullable: true, element: value.element };
}
