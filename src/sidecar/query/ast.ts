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
  | { kind: 'compare'; name: string; nameSpan: Span; op: (typeof COMPARE_OPS)[number]; value: string; quoted: boolean; span: Span }
  | { kind: 'and' | 'or'; left: SearchExpr; right: SearchExpr; span: Span }
  | { kind: 'not'; operand: SearchExpr; span: Span };

export type Stage =
  | { kind: 'where'; predicate: Expr; span: Span }
  | { kind: 'search'; expr: SearchExpr; caseSensitive: boolean; span: Span }
  | { kind: 'project'; items: Assignment[]; span: Span }
  | { kind: 'project-away'; names: NameRef[]; span: Span }
  | { kind: 'project-rename'; renames: Array<{ name: string; nameSpan: Span; from: NameRef }>; span: Span }
  | { kind: 'extend'; items: Assignment[]; span: Span }
  | { kind: 'summarize'; aggregates: Assignment[]; by: Assignment[]; span: Span }
  | { kind: 'sort'; terms: SortTerm[]; span: Span }
  | { kind: 'top'; count: Expr; term: SortTerm; span: Span }
  | { kind: 'take'; count: Expr; span: Span }
  | { kind: 'count'; span: Span }
  | { kind: 'distinct'; columns: Expr[]; span: Span }
  | { kind: 'mv-expand'; item: Assignment; span: Span }
  | { kind: 'parse'; source: Expr; parts: ParsePart[]; span: Span };

export interface Pipeline {
  /** The table name; `events` when the query starts with `search`. */
  table: string;
  tableSpan: Span;
  stages: Stage[];
  span: Span;
}

export interface Let {
  name: string;
  nameSpan: Span;
  value: { kind: 'scalar'; expr: Expr } | { kind: 'tabular'; pipeline: Pipeline };
  span: Span;
}

export interface Query {
  lets: Let[];
  pipeline: Pipeline;
  span: Span;
}
