import { LIST_OPS, STRING_OPS } from '../../shared/language';
import type { Span } from './errors';

// Every node carries the span of query text it came from, so errors can point at it.

export type Expr =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; text: string; span: Span }
  | { kind: 'timespan'; millis: number; text: string; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  /** A column, a field path (`userIdentity.arn`, `fields["x"]`) or a `let` name. */
  | { kind: 'name'; path: string[]; span: Span }
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'call'; name: string; nameSpan: Span; args: Expr[]; span: Span }
  /** `dynamic([...])`: a constant array. */
  | { kind: 'array'; items: Expr[]; span: Span }
  /** `dynamic({...})`, `dynamic(null)`, `dynamic("text")`: a constant dynamic value, as JSON text. */
  | { kind: 'json'; text: string; span: Span }
  /** `expr.name`, `expr["name"]`: a property of a dynamic value (for names, `a.b` stays a path). */
  | { kind: 'member'; base: Expr; name: string; span: Span }
  /** `expr[i]`: an element of an array or dynamic array; negative counts from the end. */
  | { kind: 'index'; base: Expr; index: Expr; span: Span }
  /** A pipeline used as a value: `x in (T | project y)`. */
  | { kind: 'tabular'; pipeline: Pipeline; span: Span }
  /** `*` as an argument (`arg_max(time, *)`). */
  | { kind: 'star'; span: Span }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: Span }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr; opSpan: Span; span: Span }
  | { kind: 'list'; op: ListOp; left: Expr; items: Expr[]; opSpan: Span; span: Span }
  | { kind: 'between'; negated: boolean; left: Expr; low: Expr; high: Expr; opSpan: Span; span: Span };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | 'and' | 'or';

export const COMPARE_OPS = ['==', '!=', '<', '<=', '>', '>=', '=~', '!~'] as const;
export { LIST_OPS, STRING_OPS };

export type CompareOp = (typeof COMPARE_OPS)[number] | (typeof STRING_OPS)[number];
export type ListOp = (typeof LIST_OPS)[number];

/** `name = expr`, or a bare `expr` whose column name the compiler derives. */
export interface Assignment {
  name?: string;
  nameSpan?: Span;
  expr: Expr;
  span: Span;
}

export interface NameRef {
  name: string;
  span: Span;
}

export interface SortTerm {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
  span: Span;
}

export type ParsePart =
  { kind: 'literal'; value: string; span: Span } | { kind: 'wildcard'; span: Span } | { kind: 'capture'; name: string; type: string; span: Span };

export type SearchExpr =
  /** Free text: a word (may hold `*` wildcards) or a quoted phrase. */
  | { kind: 'term'; text: string; quoted: boolean; span: Span }
  /** `name:value`; `text` is the whole word, searched as free text when `name` is no field. */
  | { kind: 'field'; name: string; nameSpan: Span; value: string; quoted: boolean; text: string; span: Span }
  | {
      kind: 'compare';
      name: string;
      nameSpan: Span;
      op: (typeof COMPARE_OPS)[number];
      value: string;
      quoted: boolean;
      span: Span;
    }
  | { kind: 'and' | 'or'; left: SearchExpr; right: SearchExpr; span: Span }
  | { kind: 'not'; operand: SearchExpr; span: Span };

export type Stage =
  | { kind: 'where'; predicate: Expr; span: Span }
  | { kind: 'search'; expr: SearchExpr; caseSensitive: boolean; span: Span }
  | { kind: 'project'; items: Assignment[]; span: Span }
  | { kind: 'project-away'; names: NamePattern[]; span: Span }
  | { kind: 'project-rename'; renames: Array<{ name: string; nameSpan: Span; from: NameRef }>; span: Span }
  | { kind: 'extend'; items: Assignment[]; span: Span }
  | { kind: 'summarize'; aggregates: Assignment[]; by: Assignment[]; span: Span }
  | { kind: 'sort'; terms: SortTerm[]; span: Span }
  | { kind: 'top'; count: Expr; term: SortTerm; span: Span }
  | { kind: 'take'; count: Expr; span: Span }
  | { kind: 'count'; span: Span }
  | { kind: 'distinct'; columns: Expr[]; span: Span }
  | { kind: 'parse'; source: Expr; parts: ParsePart[]; span: Span }
  | TabularStage;

/** `name` or `name*` (a prefix pattern) in project-away, project-keep, project-reorder. */
export interface NamePattern {
  name: string;
  wildcard: boolean;
  span: Span;
  /** project-reorder: the matching columns sorted by name (granny: numbers in names by value). */
  order?: 'asc' | 'desc' | 'granny-asc' | 'granny-desc';
}

export interface JoinKey {
  left: NameRef;
  right: NameRef;
  span: Span;
}

export type JoinKind = 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter' | 'leftanti' | 'rightanti' | 'leftsemi' | 'rightsemi';

export interface SeriesAggregate {
  item: Assignment;
  /** `default = value`, 0 unless given. */
  fallback?: Expr;
}

export interface NestedLevel {
  count: Expr;
  of: Assignment;
  by: Assignment;
  span: Span;
}

/** Stages that read other tables, reshape whole tables or name them (compiled in tabular.ts). */
export type TabularStage =
  | { kind: 'join'; joinKind: JoinKind; right: Pipeline; keys: JoinKey[]; span: Span }
  | { kind: 'lookup'; joinKind: 'leftouter' | 'inner'; right: Pipeline; keys: JoinKey[]; span: Span }
  | { kind: 'union'; options: UnionOptions; members: Pipeline[]; span: Span }
  | { kind: 'as'; name: string; nameSpan: Span; span: Span }
  | {
      kind: 'make-series';
      aggregates: SeriesAggregate[];
      on: Assignment;
      from?: Expr;
      to?: Expr;
      step: Expr;
      by: Assignment[];
      span: Span;
    }
  | { kind: 'top-nested'; levels: NestedLevel[]; span: Span }
  | { kind: 'mv-apply'; items: MvItem[]; stages: Stage[]; span: Span }
  | { kind: 'mv-expand'; items: MvItem[]; limit?: Expr; span: Span }
  | { kind: 'parse-where'; source: Expr; parts: ParsePart[]; span: Span }
  | { kind: 'project-keep'; patterns: NamePattern[]; span: Span }
  | { kind: 'project-reorder'; patterns: NamePattern[]; span: Span }
  | { kind: 'render'; visualization: string; span: Span }
  | { kind: 'sample'; count: Expr; span: Span }
  | { kind: 'getschema'; span: Span }
  | { kind: 'serialize'; items: Assignment[]; span: Span };

/** `[name =] expr [to typeof(type)]` of mv-expand and mv-apply. */
export interface MvItem {
  item: Assignment;
  type?: string;
}

export interface UnionOptions {
  kind: 'outer' | 'inner';
  withSource?: string;
}

/** Where a pipeline's rows come from. */
export type Source =
  /** A table, a tabular `let`, or a name bound with `as`; `events` when the query starts with `search`. */
  | { kind: 'table'; name: string; span: Span }
  /** `f(args)`: a user function whose body is a pipeline. */
  | { kind: 'call'; name: string; args: Expr[]; span: Span }
  /** `(pipeline)` and `materialize(pipeline)`. */
  | { kind: 'pipeline'; pipeline: Pipeline; span: Span }
  | { kind: 'datatable'; columns: DatatableColumn[]; values: Expr[]; span: Span }
  | { kind: 'union'; options: UnionOptions; members: Pipeline[]; span: Span }
  | { kind: 'print'; items: Assignment[]; span: Span };

export interface DatatableColumn {
  name: string;
  type: string;
  span: Span;
}

export interface Pipeline {
  source: Source;
  stages: Stage[];
  span: Span;
}

export interface FunctionParam {
  name: string;
  type: string;
  /** A default value makes the parameter optional. */
  fallback?: Expr;
  span: Span;
}

export interface Let {
  name: string;
  nameSpan: Span;
  value:
    | { kind: 'scalar'; expr: Expr }
    | { kind: 'tabular'; pipeline: Pipeline }
    | {
        kind: 'function';
        params: FunctionParam[];
        lets: Let[];
        body: { kind: 'scalar'; expr: Expr } | { kind: 'tabular'; pipeline: Pipeline };
      };
  /** Values, names and operators in the statement: what one use of it costs to compile again. */
  nodes: number;
  span: Span;
}

export interface Query {
  lets: Let[];
  pipeline: Pipeline;
  span: Span;
}
