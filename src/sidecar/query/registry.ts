import { AGGREGATES, ROW_AGGREGATES, type AggregateSpec } from './aggregates';
import { FUNCTIONS, type FunctionSpec } from './functions';
import { KQL_AGGREGATES } from './kqlAggregates';
import { KQL_FUNCTIONS } from './kqlFunctions';

// Every function and aggregate a query can call, under their names and KQL's other spellings.

/** KQL's older or other spellings, as the name they stand for. */
export const ALIASES: Record<string, string> = {
  todynamic: 'parse_json',
  parsejson: 'parse_json',
  bag_pack: 'pack',
  pack_dictionary: 'pack',
  makeset: 'make_set',
  makelist: 'make_list',
  make_set_with_nulls: 'make_set',
  any: 'take_any',
  anyif: 'take_anyif',
  count_distinct: 'dcount',
  notempty: 'isnotempty',
  notnull: 'isnotnull',
  todecimal: 'todouble',
  toboolean: 'tobool',
  floor: 'bin',
  arraylength: 'array_length',
  series_stats: 'series_stats_dynamic',
  series_fit_line: 'series_fit_line_dynamic',
};

export { ROW_AGGREGATES };

export function canonicalName(name: string): string {
  return ALIASES[name] ?? name;
}

export function functionNamed(name: string): FunctionSpec | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : Object.hasOwn(KQL_FUNCTIONS, name) ? KQL_FUNCTIONS[name] : undefined;
}

export function aggregateNamed(name: string): AggregateSpec | undefined {
  return Object.hasOwn(AGGREGATES, name) ? AGGREGATES[name] : Object.hasOwn(KQL_AGGREGATES, name) ? KQL_AGGREGATES[name] : undefined;
}

/** Scalar functions by name, aliases included. */
export const SCALAR_FUNCTION_NAMES: readonly string[] = [
  ...Object.keys(FUNCTIONS),
  ...Object.keys(KQL_FUNCTIONS),
  ...Object.keys(ALIASES).filter((a) => functionNamed(ALIASES[a])),
];

/** Aggregates by name, aliases and arg_max/arg_min included. */
export const AGGREGATE_NAMES: readonly string[] = [
  ...Object.keys(AGGREGATES),
  ...Object.keys(KQL_AGGREGATES),
  ...Object.keys(ALIASES).filter((a) => aggregateNamed(ALIASES[a])),
  ...ROW_AGGREGATES,
  // A column per percentile (stages.ts).
  'percentiles',
];

export const KNOWN_FUNCTION_NAMES: readonly string[] = [...SCALAR_FUNCTION_NAMES, ...AGGREGATE_NAMES];
