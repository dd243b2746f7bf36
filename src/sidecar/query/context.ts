import type { Expr, FunctionParam, Let, Pipeline } from './ast';
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
  /** Text known to hold JSON (Sentinel's RequestParameters and the like): parse_json reads it as it is. */
  json?: boolean;
  /**
   * The value is JSONExtractRaw(root, args...): a further property or index extends the same
   * call. Holds only while `sql` is still the SQL it was made for.
   */
  jsonPath?: JsonPath;
}

/** JSONExtractRaw(root, args...), the SQL `sql` stands for. */
export interface JsonPath {
  root: string;
  args: string[];
  sql: string;
}

/** The path of a value that still is the SQL its path was made for. */
export function validJsonPath(typed: { sql: string; jsonPath?: JsonPath }): JsonPath | undefined {
  return typed.jsonPath?.sql === typed.sql ? typed.jsonPath : undefined;
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
  json?: boolean;
  /**
   * The column's value is JSONExtractRaw(root, args...) (a Sentinel column read from `raw`): a
   * property of it extends the same call. Holds only while `sql` is the SQL it was made for.
   */
  jsonPath?: JsonPath;
  /** Carried along but not visible by name (mv-apply's row id and the row around the subquery). */
  hidden?: boolean;
  /** The time a table's rows come newest-first by when nothing sorts them (`time`, Sentinel's `TimeGenerated`). */
  timeKey?: boolean;
  /** The type KQL would name (Sentinel's columns: int, long, real, ...), for getschema. */
  kqlType?: string;
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

/** A user function (`let f = (a: string) { ... }`), instantiated at each call. */
export interface FunctionDef {
  name: string;
  params: FunctionParam[];
  lets: Let[];
  body: { kind: 'scalar'; expr: Expr } | { kind: 'tabular'; pipeline: Pipeline };
  /** Nodes of the definition: what one call costs to compile. */
  nodes: number;
  /** The scalar lets and functions visible where it was defined. */
  closure: { lets: ReadonlyMap<string, LetValue>; functions: ReadonlyMap<string, FunctionDef> };
  span: Span;
}

/** What a scalar expression may ask of the query compiler. */
export interface QueryHooks {
  /** A pipeline used as a list of values (`x in (T | project y)`): SQL selecting its single column, and that column's type. */
  subquery(pipeline: Pipeline, ctx: ExprContext): { sql: string; name: string; type: ValueType; element?: ValueType };
  /** Counts instantiated nodes (function calls) against the query's expansion budget. */
  expand(nodes: number, span: Span): void;
}

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
  /** User functions visible here. */
  functions?: ReadonlyMap<string, FunctionDef>;
  /** The user functions being called, innermost last: a function may not call itself. */
  calls?: readonly string[];
  hooks?: QueryHooks;
}

export function findColumn(scope: Scope, name: string): Column | undefined {
  return scope.columns.find((c) => c.name === name && !c.hidden);
}

export function typedOf(column: Column): Typed {
  return {
    sql: column.sql,
    type: column.type,
    nullable: column.nullable,
    element: column.element,
    raw: column.raw,
    column: column.name,
    json: column.json,
    jsonPath: column.jsonPath,
  };
}

export function columnOf(name: string, typed: Typed): Column {
  return {
    name,
    type: typed.type,
    sql: typed.sql,
    nullable: typed.nullable,
    element: typed.element,
    raw: typed.raw,
    json: typed.json,
    jsonPath: typed.jsonPath,
  };
}
