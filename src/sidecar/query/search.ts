import type { SearchExpr } from './ast';
import { asString, describe } from './coerce';
import type { ExprContext, Typed } from './context';
import { QueryError, UnknownFieldError, type Span } from './errors';
import { compileExpr } from './expressions';
import { checkSqlLength } from './limits';
import { compareValues } from './predicates';
import { termMatch } from './terms';

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The condition of a `search` stage. Free text matches whole terms of the `raw` record,
 * ignoring case (`kind=case_sensitive` to respect it); `field:value` matches terms of that
 * field; `field > 5` compares like `where`.
 */
export function searchPredicate(expr: SearchExpr, caseSensitive: boolean, ctx: ExprContext): string {
  return checkSqlLength(searchNode(expr, caseSensitive, ctx), expr.span);
}

function searchNode(expr: SearchExpr, caseSensitive: boolean, ctx: ExprContext): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${searchPredicate(expr.left, caseSensitive, ctx)} ${expr.kind.toUpperCase()} ${searchPredicate(expr.right, caseSensitive, ctx)})`;
    case 'not':
      return `(NOT ${searchPredicate(expr.operand, caseSensitive, ctx)})`;
    case 'term':
      return freeText(expr.text, !expr.quoted, expr.span, caseSensitive, ctx);
    case 'field': {
      const field = resolveField(expr.name, expr.nameSpan, ctx, expr.value.includes(':'));
      if (!field) {
        return freeText(expr.text, true, expr.span, caseSensitive, ctx);
      }
      return fieldTerm(field, expr.value, !expr.quoted, expr.span, caseSensitive, ctx);
    }
    case 'compare': {
      const field = resolveField(expr.name, expr.nameSpan, ctx, false) as Typed;
      const right: Typed =
        !expr.quoted && NUMBER.test(expr.value)
          ? { sql: ctx.params.add('Float64', String(Number(expr.value))), type: 'number' }
          : { sql: ctx.params.add('String', expr.value), type: 'string', constant: { kind: 'string', value: expr.value } };
      return compareValues(expr.op, { value: field, span: expr.nameSpan }, { value: right, span: expr.span }, ctx, expr.span);
    }
  }
}

/** The field a `name:` prefix names; undefined (search the word as text) when it names none and `lenient`. */
function resolveField(name: string, span: Span, ctx: ExprContext, lenient: boolean): Typed | undefined {
  try {
    return compileExpr({ kind: 'name', path: name.split('.'), span }, ctx);
  } catch (err) {
    if (lenient) {
      return undefined;
    }
    if (err instanceof UnknownFieldError) {
      throw new UnknownFieldError(`${err.message}; to search for text containing ":", put it in quotes`, err.span, err.expected);
    }
    throw err;
  }
}

function freeText(text: string, wildcards: boolean, span: Span, caseSensitive: boolean, ctx: ExprContext): string {
  if (text.trim() === '') {
    throw new QueryError('the search term is empty', span);
  }
  const raw = ctx.scope.columns.find((c) => c.raw);
  const targets = raw ? [raw] : ctx.scope.columns.filter((c) => c.type === 'string');
  if (targets.length === 0) {
    throw new QueryError('search needs a text column, and none is left (raw was projected away)', span);
  }
  const parts = targets.map((t) => termMatch(t.sql, t.raw === true, text, { caseSensitive, wildcards }, ctx.params));
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}

function fieldTerm(field: Typed, value: string, wildcards: boolean, span: Span, caseSensitive: boolean, ctx: ExprContext): string {
  if (value.trim() === '') {
    throw new QueryError('the search term is empty', span);
  }
  switch (field.type) {
    case 'string':
      return termMatch(field.sql, field.raw === true, value, { caseSensitive, wildcards }, ctx.params);
    case 'number':
      if (NUMBER.test(value)) {
        return `(${field.sql} = ${ctx.params.add('Float64', String(Number(value)))})`;
      }
      return termMatch(asString(field, span), false, value, { caseSensitive, wildcards }, ctx.params);
    case 'bool':
      if (value === 'true' || value === 'false') {
        return `(${field.sql} = ${value})`;
      }
      throw new QueryError(`${describe(field)} is true or false`, span, ['true', 'false']);
    default:
      throw new QueryError(`cannot search ${describe(field)} for text: compare it instead (e.g. time > "2024-03-01")`, span);
  }
}
