import type { Assignment, Expr } from './ast';
import { QueryError, type Span } from './errors';

// Functions that give several values, as KQL's series_stats and series_fit_line do: `extend
// (a, b, ...) = f(x)` names them, a bare `extend f(x)` makes columns f_x_value. Each value is a
// property of the function's _dynamic form, converted to the type KQL gives it.

type Conversion = 'todouble' | 'tolong' | null;

const MULTI_VALUED: Record<string, { dynamic: string; values: Array<[string, Conversion]> }> = {
  series_stats: {
    dynamic: 'series_stats_dynamic',
    values: [
      ['min', 'todouble'],
      ['min_idx', 'tolong'],
      ['max', 'todouble'],
      ['max_idx', 'tolong'],
      ['avg', 'todouble'],
      ['stdev', 'todouble'],
      ['variance', 'todouble'],
    ],
  },
  series_fit_line: {
    dynamic: 'series_fit_line_dynamic',
    values: [
      ['rsquare', 'todouble'],
      ['slope', 'todouble'],
      ['variance', 'todouble'],
      ['rvariance', 'todouble'],
      ['interception', 'todouble'],
      ['line_fit', null],
    ],
  },
};

export const MULTI_VALUED_FUNCTIONS: readonly string[] = Object.keys(MULTI_VALUED);

export function isMultiValued(expr: Expr): boolean {
  return expr.kind === 'call' && Object.hasOwn(MULTI_VALUED, expr.name);
}

/** The columns of `(names) = call` (names undefined: a bare call): one per value the function gives. */
export function spreadValues(call: Expr, names: Array<{ name: string; span: Span }> | undefined, span: Span): Assignment[] {
  if (call.kind !== 'call' || !Object.hasOwn(MULTI_VALUED, call.name)) {
    throw new QueryError(`only ${MULTI_VALUED_FUNCTIONS.join(' and ')} give several values to name with (a, b, ...) =`, call.span, [...MULTI_VALUED_FUNCTIONS]);
  }
  const spec = MULTI_VALUED[call.name];
  if (names && names.length > spec.values.length) {
    throw new QueryError(`${call.name}() gives ${spec.values.length} values, not ${names.length}`, span);
  }
  const first = call.args[0];
  const argName = first?.kind === 'name' ? first.path.join('_') : 'series';
  const dynamic: Expr = { ...call, name: spec.dynamic };
  return spec.values.map(([value, conversion], i) => {
    const member: Expr = { kind: 'member', base: dynamic, name: value, span: call.span };
    const expr: Expr = conversion ? { kind: 'call', name: conversion, nameSpan: call.nameSpan, args: [member], span: call.span } : member;
    const given = names?.[i];
    return {
      name: given?.name ?? `${call.name}_${argName}_${value}`,
      nameSpan: given?.span ?? call.span,
      expr,
      span,
    };
  });
}
