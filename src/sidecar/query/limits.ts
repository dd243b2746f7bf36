import { QueryError, type Span } from './errors';

// What one query may ask of the compiler and of the engine. Each bound is far above what a
// real query needs and keeps compiling linear and short (README.md, "Limits"); a query
// beyond one is a QueryError naming it.

/** Characters of query text. */
export const MAX_QUERY_LENGTH = 100_000;
/** Nesting of parentheses, `not`, unary minus and search groups. */
export const MAX_DEPTH = 100;
/** Nodes of the parsed query: values, names, operators, calls, search terms. */
export const MAX_NODES = 20_000;
/** Pipeline stages, counting those of tabular `let`s. */
export const MAX_STAGES = 200;
/** `let` statements. */
export const MAX_LETS = 100;
/**
 * SELECTs nested in one another. ClickHouse's parser gives up near 95 (max_parser_depth 1000),
 * and a subquery costs its AST about 17 levels of max_ast_depth (1000): at 30, expressions
 * nested MAX_DEPTH deep still fit.
 */
export const MAX_SUBQUERIES = 30;
/** Values, names and operators compiled again for the uses of functions and tabular lets. */
export const MAX_EXPANDED_NODES = 100_000;
/** Columns a stage may produce. */
export const MAX_COLUMNS = 1000;
/** Bytes of generated SQL; ClickHouse refuses a query text over max_query_size (256 KiB) with its settings. */
export const MAX_SQL_BYTES = 250_000;

const DAY = 86_400_000;
/** Days a timespan may span either way: past the whole DateTime64 range, and exact in ms. */
export const MAX_TIMESPAN_DAYS = 1_000_000;
export const MAX_TIMESPAN_MS = MAX_TIMESPAN_DAYS * DAY;

/** Throws when an expression's SQL alone passes the SQL limit (cheap: JS string length is O(1)). */
export function checkSqlLength(sql: string, span: Span | undefined): string {
  if (sql.length > MAX_SQL_BYTES) {
    throw sqlTooLong(span);
  }
  return sql;
}

export function tooManySubqueries(span: Span | undefined): QueryError {
  return new QueryError(
    `the query needs more than ${MAX_SUBQUERIES} nested subqueries (the limit): a stage that cannot join the SELECT before it, such as a filter after take or summarize, starts one`,
    span
  );
}

export function sqlTooLong(span: Span | undefined): QueryError {
  return new QueryError(
    `the query compiles to more than ${MAX_SQL_BYTES} bytes of SQL (the limit): it repeats a large expression or lists too many values; pass long lists as dynamic([...]) or a variable`,
    span
  );
}

/** A timespan within ±MAX_TIMESPAN_DAYS, or an error at its text. */
export function checkTimespan(millis: number, span: Span): number {
  if (!Number.isFinite(millis) || Math.abs(millis) > MAX_TIMESPAN_MS) {
    throw new QueryError(`the timespan is out of range: at most ${MAX_TIMESPAN_DAYS}d either way`, span);
  }
  return millis;
}

/** Counts what a query holds against the limits above, while it is parsed. */
export class ParseBudget {
  private nodes = 0;
  private stages = 0;

  /** Nodes counted so far. */
  get used(): number {
    return this.nodes;
  }

  node(span: Span): void {
    if (++this.nodes > MAX_NODES) {
      throw new QueryError(`the query has more than ${MAX_NODES} values, names and operators (the limit)`, span);
    }
  }

  stage(span: Span): void {
    if (++this.stages > MAX_STAGES) {
      throw new QueryError(`the query has more than ${MAX_STAGES} stages (the limit)`, span);
    }
  }
}

export function tooDeep(what: 'query' | 'search', span: Span): QueryError {
  return new QueryError(`the ${what} nests deeper than ${MAX_DEPTH} levels (the limit)`, span);
}
