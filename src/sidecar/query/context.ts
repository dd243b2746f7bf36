import type { Span } from './errors';
import type { Params } from './params';
import type { ValueType } from './tables';

/** A value known while compiling: literals, `let` constants, request variables. */
export type Constant =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'timespan'; millis: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'array'; values: Array<string | number> };

/** A compiled expression: SQL over the current layer's input, and what it holds. */
export interface Typed {
  sql: string;
  type: ValueType;
  nullable?: boolean;
  /** Element type when `type` is `array`. */
  element?: ValueType;
  /** The value, when the compiler knows it (then `sql` is a bound parameter). */
  constant?: Constant;
  /** True for the `raw` column, whose text index can pre-filter term searches. */
  raw?: boolean;
  /** For a field of the `fields` map: that map's SQL and the key. */
  mapField?: { map: string; key: string };
  /** The language name of a plain column reference. */
  column?: string;
}

export interface Column {
  name: string;
  type: ValueType;
  sql: string;
  nullable?: boolean;
  element?: ValueType;
  raw?: boolean;
  /** A `by` key of the summarize that made this column. */
  key?: boolean;
}

/** The columns a stage sees, and the keys of the `fields` map while that column is in scope. */
export interface Scope {
  columns: Column[];
  mapKeys: ReadonlySet<string> | null;
}

export type ExprMode = 'row' | 'aggregate' | 'constant';

/** A scalar `let`: its compiled value (SQL over no columns) and, when the compiler knows it, the value. */
export interface LetValue {
  typed: Typed;
  constant?: Constant;
  span: Span;
}

/** Variables of the request: dashboard variables plus `$__interval` and friends. */
export type VariableValue = string | number | string[];

export interface ExprContext {
  scope: Scope;
  params: Params;
  mode: ExprMode;
  /** Scalar `let`s, each compiled once where it is defined. */
  lets: ReadonlyMap<string, LetValue>;
  variables: Readonly<Record<string, VariableValue>>;
  /** `$__interval`, in milliseconds, when the request gave one. */
  intervalMs?: number;
  /** Placeholders of the request's time range. */
  timeRange: { from: string; to: string };
}

export function findColumn(scope: Scope, name: string): Column | undefined {
  return scope.columns.find((c) => c.name === name);
}

export function typedOf(column: Column): Typed {
  return { sql: column.sql, type: column.type, nullable: column.nullable, element: column.element, raw: column.raw, column: column.name };
}

export function columnOf(name: string, typed: Typed): Column {
  return { name, type: typed.type, sql: typed.sql, nullable: typed.nullable, element: typed.element, raw: typed.raw };
}
