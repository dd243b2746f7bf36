import { type AggregateSpec, extreme, rowArg, sized } from './aggregates';
import { asBool, asNumber } from './coerce';
import type { ExprContext } from './context';
import { QueryError } from './errors';
import { constantArg, type CallExpr, type Compiler } from './functions';

// Aggregates of KQL beyond the language's first set (aggregates.ts): the conditional ones,
// percentiles, deviations, and bags.

const condition = (call: CallExpr, i: number, ctx: ExprContext, c: Compiler) => asBool(rowArg(call, i, ctx, c), call.args[i].span, `${call.name}()`);
const number = (call: CallExpr, i: number, ctx: ExprContext, c: Compiler) => asNumber(rowArg(call, i, ctx, c), call.args[i].span);

function percentileOf(call: CallExpr, i: number, ctx: ExprContext, c: Compiler): number {
  const p = constantArg(call, i, 'number', ctx, c, 'a constant percentile from 0 to 100').value;
  if (!(p >= 0 && p <= 100)) {
    throw new QueryError(`${call.name}() takes percentiles from 0 to 100`, call.args[i].span);
  }
  return p;
}

export const KQL_AGGREGATES: Record<string, AggregateSpec> = {
  sumif: {
    args: [2, 2],
    prefix: 'sumif_',
    compile: (call, ctx, c) => ({
      sql: `sumIf(${number(call, 0, ctx, c)}, ${condition(call, 1, ctx, c)})`,
      type: 'number',
      nullable: true,
    }),
  },
  avgif: {
    args: [2, 2],
    prefix: 'avgif_',
    compile: (call, ctx, c) => ({
      sql: `avgIf(${number(call, 0, ctx, c)}, ${condition(call, 1, ctx, c)})`,
      type: 'number',
      nullable: true,
    }),
  },
  minif: {
    args: [2, 2],
    prefix: 'minif_',
    compile: (call, ctx, c) =>
      extreme('minIf', {
        ...rowArg(call, 0, ctx, c),
        sql: `${rowArg(call, 0, ctx, c).sql}, ${condition(call, 1, ctx, c)}`,
      }),
  },
  maxif: {
    args: [2, 2],
    prefix: 'maxif_',
    compile: (call, ctx, c) =>
      extreme('maxIf', {
        ...rowArg(call, 0, ctx, c),
        sql: `${rowArg(call, 0, ctx, c).sql}, ${condition(call, 1, ctx, c)}`,
      }),
  },
  dcountif: {
    args: [2, 3],
    prefix: 'dcountif_',
    compile: (call, ctx, c) => ({
      sql: `uniqIf(${rowArg(call, 0, ctx, c).sql}, ${condition(call, 1, ctx, c)})`,
      type: 'number',
    }),
  },
  take_anyif: {
    args: [2, 2],
    prefix: 'any_',
    compile: (call, ctx, c) =>
      extreme('anyIf', {
        ...rowArg(call, 0, ctx, c),
        sql: `${rowArg(call, 0, ctx, c).sql}, ${condition(call, 1, ctx, c)}`,
      }),
  },
  make_set_if: {
    args: [2, 3],
    prefix: 'set_',
    compile: (call, ctx, c) => sized('groupUniqArray', call, ctx, c, 2, condition(call, 1, ctx, c)),
  },
  make_list_if: {
    args: [2, 3],
    prefix: 'list_',
    compile: (call, ctx, c) => sized('groupArray', call, ctx, c, 2, condition(call, 1, ctx, c)),
  },
  stdev: {
    args: [1, 1],
    prefix: 'stdev_',
    compile: (call, ctx, c) => ({ sql: `stddevSamp(${number(call, 0, ctx, c)})`, type: 'number', nullable: true }),
  },
  stdevp: {
    args: [1, 1],
    prefix: 'stdevp_',
    compile: (call, ctx, c) => ({ sql: `stddevPop(${number(call, 0, ctx, c)})`, type: 'number', nullable: true }),
  },
  variance: {
    args: [1, 1],
    prefix: 'variance_',
    compile: (call, ctx, c) => ({ sql: `varSamp(${number(call, 0, ctx, c)})`, type: 'number', nullable: true }),
  },
  variancep: {
    args: [1, 1],
    prefix: 'variancep_',
    compile: (call, ctx, c) => ({ sql: `varPop(${number(call, 0, ctx, c)})`, type: 'number', nullable: true }),
  },
  percentile: {
    args: [2, 2],
    prefix: 'percentile_',
    name: (call, first) => `percentile_${first}_${String(call.args[1].kind === 'number' ? call.args[1].text : 'p').replace(/\./g, '_')}`,
    compile: (call, ctx, c) => {
      const p = percentileOf(call, 1, ctx, c);
      return {
        sql: `quantile(${ctx.params.add('Float64', p / 100)})(${number(call, 0, ctx, c)})`,
        type: 'number',
        nullable: true,
      };
    },
  },
  percentiles_array: {
    args: [2, 64],
    prefix: 'percentiles_',
    compile: (call, ctx, c) => {
      const levels = call.args.slice(1).map((_, i) => ctx.params.add('Float64', percentileOf(call, i + 1, ctx, c) / 100));
      return { sql: `quantiles(${levels.join(', ')})(${number(call, 0, ctx, c)})`, type: 'array', element: 'number' };
    },
  },
  make_bag: {
    args: [1, 2],
    prefix: 'bag_',
    compile: (call, ctx, c) => {
      const bag = rowArg(call, 0, ctx, c);
      if (bag.type !== 'dynamic') {
        throw new QueryError('make_bag() takes property bags (dynamic values)', call.args[0].span);
      }
      // The properties of every bag in the group, joined into one (a repeated key keeps each value; the last one wins when read).
      const members = `arrayFilter(__m -> __m != '', arrayMap(__b -> substring(__b, 2, length(__b) - 2), groupArrayIf(${bag.sql}, JSONType(${bag.sql}) = 'Object')))`;
      return { sql: `concat('{', arrayStringConcat(${members}, ','), '}')`, type: 'dynamic' };
    },
  },
};
