import type { CompareOp, Expr, ListOp } from './ast';
import { asNumber, asString, asTime, describe, dynamicText, jsonOf } from './coerce';
import type { ExprContext, Typed } from './context';
import { QueryError, type Span } from './errors';
import type { Compiler } from './functions';
import { checkRegex } from './regex';
import { quoteIdent } from './sql';
import { TERM_SEPARATOR, termMatch } from './terms';
import { clickHouseTime, parseTime, TIME_PARAM } from './time';

const SQL_OPS: Record<string, string> = { '==': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

export interface Operand {
  value: Typed;
  span: Span;
}

/**
 * `==`, `!=`, `<`, ... and `=~`/`!~`. Times compare as times (a constant string must be an ISO
 * time); when one side is a number the other is read as one (map fields hold text, cast with
 * toFloat64OrNull); text compares as text.
 */
export function compareValues(op: string, left: Operand, right: Operand, ctx: ExprContext, opSpan: Span): string {
  if (op === '=~' || op === '!~') {
    const l = asString(left.value, left.span);
    const r = asString(right.value, right.span);
    return `(lowerUTF8(${l}) ${op === '=~' ? '=' : '!='} lowerUTF8(${r}))`;
  }
  const sqlOp = SQL_OPS[op];
  const [l, r] = comparable(left, right, ctx, opSpan);
  return `(${l} ${sqlOp} ${r})`;
}

function comparable(left: Operand, right: Operand, ctx: ExprContext, opSpan: Span): [string, string] {
  const lt = left.value.type;
  const rt = right.value.type;
  if (lt === 'null' || rt === 'null') {
    throw new QueryError('comparing with null is never true: use isnull(x) or isnotnull(x)', opSpan, ['isnull()', 'isnotnull()']);
  }
  if (lt === 'time' || rt === 'time') {
    return [asTime(left.value, left.span, ctx.params), asTime(right.value, right.span, ctx.params)];
  }
  if (lt === 'number' || rt === 'number') {
    return [asNumber(left.value, left.span), asNumber(right.value, right.span)];
  }
  if ((lt === 'string' && rt === 'string') || (lt === 'bool' && rt === 'bool') || (lt === 'timespan' && rt === 'timespan')) {
    return [left.value.sql, right.value.sql];
  }
  // A dynamic value compares by its text with text, true and false, and other dynamic values.
  if (lt === 'dynamic' || rt === 'dynamic' || lt === 'array' || rt === 'array') {
    return [comparableText(left), comparableText(right)];
  }
  throw new QueryError(`cannot compare ${describe(left.value)} with ${describe(right.value)}`, opSpan);
}

function comparableText(operand: Operand): string {
  const { value, span } = operand;
  switch (value.type) {
    case 'dynamic':
      return dynamicText(value.sql);
    case 'array':
      return jsonOf(value, span);
    case 'bool':
      return `if(${value.sql}, 'true', 'false')`;
    case 'string':
      return value.sql;
    default:
      throw new QueryError(`cannot compare ${describe(value)} with a dynamic value`, span);
  }
}

/** has, contains, startswith, endswith (and `_cs`, `!` forms), matches regex. */
export function stringPredicate(op: CompareOp, left: Operand, rightExpr: Expr, ctx: ExprContext, c: Compiler, opSpan: Span): string {
  const negated = op.startsWith('!');
  const base = negated ? op.slice(1) : op;
  const target = asString(left.value, left.span);
  let sql: string;
  if ((base === 'has' || base === 'has_cs') && c.constantOf(rightExpr, ctx)?.kind !== 'string') {
    // A term from the data: whole-term match by a pattern built per row.
    const needle = asString(c.compile(rightExpr, ctx), rightExpr.span);
    const bounded = `concat(${ctx.params.add('String', `${base === 'has' ? '(?i)' : ''}(?:^|${TERM_SEPARATOR})`)}, regexpQuoteMeta(${needle}), ${ctx.params.add('String', `(?:${TERM_SEPARATOR}|$)`)})`;
    sql = `(${needle} != '' AND match(${target}, ${bounded}))`;
  } else if (base === 'has' || base === 'has_cs') {
    const term = constantText(rightExpr, ctx, c, `${base} needs a constant term on the right`);
    sql = termMatch(target, left.value.raw === true, term, { caseSensitive: base === 'has_cs', wildcards: false }, ctx.params);
  } else if (base === 'matches regex') {
    const pattern = constantText(rightExpr, ctx, c, 'matches regex needs a constant regular expression on the right');
    checkRegex(pattern, rightExpr.span);
    sql = `match(${target}, ${ctx.params.add('String', pattern)})`;
  } else {
    const needle = asString(c.compile(rightExpr, ctx), rightExpr.span);
    sql = SUBSTRING_OPS[base]?.(target, needle) ?? '';
    if (!sql) {
      throw new QueryError(`unknown operator "${op}"`, opSpan);
    }
  }
  return negated ? `(NOT ${sql})` : sql;
}

const SUBSTRING_OPS: Record<string, (target: string, needle: string) => string> = {
  contains: (t, n) => `(positionCaseInsensitiveUTF8(${t}, ${n}) > 0)`,
  contains_cs: (t, n) => `(position(${t}, ${n}) > 0)`,
  startswith: (t, n) => `startsWith(lowerUTF8(${t}), lowerUTF8(${n}))`,
  startswith_cs: (t, n) => `startsWith(${t}, ${n})`,
  endswith: (t, n) => `endsWith(lowerUTF8(${t}), lowerUTF8(${n}))`,
  endswith_cs: (t, n) => `endsWith(${t}, ${n})`,
};

function constantText(expr: Expr, ctx: ExprContext, c: Compiler, message: string): string {
  const value = c.constantOf(expr, ctx);
  if (value?.kind !== 'string') {
    throw new QueryError(message, expr.span);
  }
  if (value.value.trim() === '') {
    throw new QueryError('the term is empty', expr.span);
  }
  return value.value;
}

/** in, !in, in~, !in~ (lists may hold arrays: dynamic([...]), multi-value variables) and has_any / has_all. */
export function listPredicate(op: ListOp, left: Operand, items: Expr[], ctx: ExprContext, c: Compiler): string {
  if (op === 'has_any' || op === 'has_all') {
    const target = asString(left.value, left.span);
    const terms = items.flatMap((item) => constantTexts(item, ctx, c, `${op} needs constant terms`));
    const parts = terms.map((term) => termMatch(target, left.value.raw === true, term, { caseSensitive: false, wildcards: false }, ctx.params));
    return `(${parts.join(op === 'has_any' ? ' OR ' : ' AND ')})`;
  }
  const negated = op.startsWith('!');
  const caseInsensitive = op.endsWith('~');
  const scalars: Operand[] = [];
  const arrays: Array<{ values: Array<string | number>; span: Span }> = [];
  const tables: Array<{ sql: string; name: string; type: Typed['type']; span: Span }> = [];
  for (const item of items) {
    if (item.kind === 'tabular') {
      if (!ctx.hooks) {
        throw new QueryError('a table cannot be used here', item.span);
      }
      tables.push({ ...ctx.hooks.subquery(item.pipeline, ctx), span: item.span });
      continue;
    }
    const constant = c.constantOf(item, ctx);
    if (constant?.kind === 'array') {
      arrays.push({ values: constant.values, span: item.span });
    } else {
      scalars.push({ value: c.compile(item, ctx), span: item.span });
    }
  }
  const numeric =
    !caseInsensitive &&
    (left.value.type === 'number' ||
      (left.value.type === 'string' &&
        scalars.length + arrays.length + tables.length > 0 &&
        scalars.every((s) => s.value.type === 'number') &&
        arrays.every((a) => a.values.every((v) => typeof v === 'number')) &&
        tables.every((t) => t.type === 'number')));
  const isTime = !caseInsensitive && left.value.type === 'time';
  const read = (o: Operand) => (isTime ? asTime(o.value, o.span, ctx.params) : numeric ? asNumber(o.value, o.span) : asString(o.value, o.span));
  const lower = (sql: string) => (caseInsensitive ? `lowerUTF8(${sql})` : sql);
  const target = lower(read(left));
  const parts: string[] = [];
  if (scalars.length > 0) {
    parts.push(`${target} IN (${scalars.map((s) => lower(read(s))).join(', ')})`);
  }
  for (const array of arrays) {
    let values: string;
    if (isTime) {
      values = ctx.params.add(
        `Array(${TIME_PARAM})`,
        array.values.map((v) => clickHouseTime(arrayTime(v, array.span)))
      );
    } else if (numeric) {
      values = ctx.params.add('Array(Float64)', `[${array.values.map((v) => arrayNumber(v, array.span)).join(',')}]`);
    } else {
      values = ctx.params.add('Array(String)', array.values.map(String));
    }
    parts.push(`has(${caseInsensitive ? `arrayMap(__v -> lowerUTF8(__v), ${values})` : values}, ${target})`);
  }
  for (const table of tables) {
    // The subquery's single column, read as the left side is.
    const value: Typed = { sql: `__s.${quoteIdent(table.name)}`, type: table.type };
    const read = isTime ? asTime(value, table.span, ctx.params) : numeric ? asNumber(value, table.span) : asString(value, table.span);
    parts.push(`${target} IN (SELECT ${lower(read)} FROM (${table.sql}) AS __s)`);
  }
  if (parts.length === 0) {
    return negated ? 'true' : 'false';
  }
  const sql = parts.length === 1 ? `(${parts[0]})` : `(${parts.join(' OR ')})`;
  return negated ? `(NOT ${sql})` : sql;
}

function arrayTime(value: string | number, span: Span): number {
  const ms = typeof value === 'string' ? parseTime(value) : undefined;
  if (ms === undefined) {
    throw new QueryError(`${JSON.stringify(value)} in the list is not a time`, span);
  }
  return ms;
}

function arrayNumber(value: string | number, span: Span): string {
  const number = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(number)) {
    throw new QueryError(`${JSON.stringify(value)} in the list is not a number`, span);
  }
  return String(number);
}

function constantTexts(expr: Expr, ctx: ExprContext, c: Compiler, message: string): string[] {
  const value = c.constantOf(expr, ctx);
  if (value?.kind === 'array') {
    return value.values.map(String).filter((v) => v.trim() !== '');
  }
  return [constantText(expr, ctx, c, message)];
}

/** `x between (low .. high)`, both ends included. */
export function betweenPredicate(negated: boolean, left: Operand, low: Operand, high: Operand, ctx: ExprContext, opSpan: Span): string {
  const sql = `(${compareValues('>=', left, low, ctx, opSpan)} AND ${compareValues('<=', left, high, ctx, opSpan)})`;
  return negated ? `(NOT ${sql})` : sql;
}
