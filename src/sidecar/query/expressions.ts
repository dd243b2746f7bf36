import type { BinaryOp, Expr } from './ast';
import { asBool, asInterval, asNumber, describe } from './coerce';
import { findColumn, typedOf, type Constant, type ExprContext, type Typed, type VariableValue } from './context';
import { closeMatches, didYouMean, QueryError, SUGGESTION_CANDIDATES, UnknownFieldError, type Span } from './errors';
import type { Compiler } from './functions';
import { accessDynamic, callUserFunction } from './dynamic';
import { aggregateNamed, canonicalName, functionNamed, KNOWN_FUNCTION_NAMES, ROW_AGGREGATES } from './registry';
import { checkSqlLength, checkTimespan } from './limits';
import { betweenPredicate, compareValues, listPredicate, stringPredicate } from './predicates';

// BigInt(), not a literal: the editor's type check, which reads the registries, targets ES2019.
const INT64_MAX = BigInt('9223372036854775807');

export const SPECIAL_VARIABLES = ['__interval', '__interval_ms', '__from', '__to'];

/** Compiles expressions of the language to ClickHouse SQL, against a scope. */
export const expressions: Compiler = {
  compile: (expr, ctx) => compileExpr(expr, ctx),
  constantOf: (expr, ctx) => constantOf(expr, ctx),
};

/** Compiles an expression; its SQL must stay within the SQL limit, checked at every node. */
export function compileExpr(expr: Expr, ctx: ExprContext): Typed {
  const typed = compileNode(expr, ctx);
  checkSqlLength(typed.sql, expr.span);
  return typed;
}

function compileNode(expr: Expr, ctx: ExprContext): Typed {
  switch (expr.kind) {
    case 'string':
      return {
        sql: ctx.params.add('String', expr.value),
        type: 'string',
        constant: { kind: 'string', value: expr.value },
      };
    case 'number':
      return numberLiteral(expr.text, expr.span, ctx);
    case 'timespan':
      return timespan(expr.millis, expr.span, ctx);
    case 'bool':
      return { sql: expr.value ? 'true' : 'false', type: 'bool', constant: { kind: 'bool', value: expr.value } };
    case 'null':
      return { sql: 'NULL', type: 'null' };
    case 'name':
      return resolveName(expr, ctx);
    case 'variable':
      return variable(expr, ctx);
    case 'array':
      return arrayLiteral(expr, ctx);
    case 'json':
      return expr.text === 'null' ? { sql: `''`, type: 'dynamic' } : { sql: ctx.params.add('String', expr.text), type: 'dynamic' };
    case 'member':
      return accessDynamic(compileExpr(expr.base, ctx), { name: expr.name }, expr.span, ctx);
    case 'index':
      return accessDynamic(compileExpr(expr.base, ctx), { index: expr.index }, expr.span, ctx, expressions);
    case 'tabular':
      throw new QueryError('a table is not a value: use it in join, union, or x in (T | project y)', expr.span);
    case 'star':
      throw new QueryError('"*" is only allowed as an argument of arg_max() or arg_min()', expr.span);
    case 'unary':
      return unary(expr, ctx);
    case 'binary':
      return binary(expr, ctx);
    case 'compare': {
      const left = { value: compileExpr(expr.left, ctx), span: expr.left.span };
      if (['==', '!=', '<', '<=', '>', '>=', '=~', '!~'].includes(expr.op)) {
        const right = { value: compileExpr(expr.right, ctx), span: expr.right.span };
        return { sql: compareValues(expr.op, left, right, ctx, expr.opSpan), type: 'bool' };
      }
      return { sql: stringPredicate(expr.op, left, expr.right, ctx, expressions, expr.opSpan), type: 'bool' };
    }
    case 'list':
      return {
        sql: listPredicate(expr.op, { value: compileExpr(expr.left, ctx), span: expr.left.span }, expr.items, ctx, expressions),
        type: 'bool',
      };
    case 'between': {
      const operand = (e: Expr) => ({ value: compileExpr(e, ctx), span: e.span });
      return {
        sql: betweenPredicate(expr.negated, operand(expr.left), operand(expr.low), operand(expr.high), ctx, expr.opSpan),
        type: 'bool',
      };
    }
    case 'call':
      return call(expr, ctx);
  }
}

function numberLiteral(text: string, span: Expr['span'], ctx: ExprContext): Typed {
  const value = Number(text);
  if (/^\d+$/.test(text)) {
    if (BigInt(text) > INT64_MAX) {
      throw new QueryError(`${text} is too large for a whole number`, span);
    }
    return {
      sql: ctx.params.add('Int64', BigInt(text).toString()),
      type: 'number',
      constant: { kind: 'number', value, text },
    };
  }
  if (!Number.isFinite(value)) {
    throw new QueryError(`${text} is out of range`, span);
  }
  return { sql: ctx.params.add('Float64', String(value)), type: 'number', constant: { kind: 'number', value, text } };
}

function timespan(millis: number, span: Expr['span'], ctx: ExprContext): Typed {
  checkTimespan(millis, span);
  return { sql: ctx.params.add('Int64', millis), type: 'timespan', constant: { kind: 'timespan', millis } };
}

/** A number the compiler computed, bound like a literal. */
function knownNumber(value: number, ctx: ExprContext): Typed {
  const type = Number.isSafeInteger(value) ? 'Int64' : 'Float64';
  return {
    sql: ctx.params.add(type, String(value)),
    type: 'number',
    constant: { kind: 'number', value, text: String(value) },
  };
}

function resolveName(expr: Extract<Expr, { kind: 'name' }>, ctx: ExprContext): Typed {
  const name = expr.path.join('.');
  const letDef = expr.path.length === 1 ? ctx.lets.get(name) : undefined;
  if (letDef) {
    return letDef.typed;
  }
  if (ctx.mode === 'constant') {
    throw new QueryError(`unknown name "${name}": a let value can use literals, variables and earlier lets, not columns`, expr.span);
  }
  if (ctx.mode === 'aggregate') {
    throw new QueryError(`"${name}" must be inside an aggregate such as max(${name}), or listed after by`, expr.span, ['an aggregate function', 'by']);
  }
  const column = findColumn(ctx.scope, name);
  if (column) {
    return typedOf(column);
  }
  const fields = findColumn(ctx.scope, 'fields');
  if (fields?.type === 'map' && ctx.scope.mapKeys) {
    const explicit = expr.path[0] === 'fields' && expr.path.length > 1;
    const key = explicit ? expr.path.slice(1).join('.') : name;
    if (ctx.scope.mapKeys.has(key)) {
      return {
        sql: `${fields.sql}[${ctx.params.add('String', key)}]`,
        type: 'string',
        mapField: { map: fields.sql, key },
        column: name,
      };
    }
  }
  const dynamicPath = pathIntoValue(expr, ctx);
  if (dynamicPath) {
    return dynamicPath;
  }
  throw unknownName(name, expr.span, ctx);
}

/** `Details.a.b`: the longest leading name that is a dynamic column (or let), then properties of its value. */
function pathIntoValue(expr: Extract<Expr, { kind: 'name' }>, ctx: ExprContext): Typed | undefined {
  for (let i = expr.path.length - 1; i >= 1; i--) {
    const head = expr.path.slice(0, i).join('.');
    const letDef = i === 1 ? ctx.lets.get(head) : undefined;
    const column = letDef ? undefined : findColumn(ctx.scope, head);
    const base = letDef?.typed ?? (column ? typedOf(column) : undefined);
    if (base && base.type !== 'map') {
      // A dynamic value's properties; on anything else, accessDynamic says it has none.
      let value = base;
      for (const part of expr.path.slice(i)) {
        value = accessDynamic(value, { name: part }, expr.span, ctx);
      }
      return value;
    }
  }
  return undefined;
}

export function unknownName(name: string, span: Expr['span'], ctx: ExprContext): UnknownFieldError {
  const matches = closeMatches(name.replace(/^fields\./, ''), namesInScope(ctx));
  return new UnknownFieldError(`unknown field "${name}"${didYouMean(matches)}`, span, matches);
}

/** Columns and lets first: the field catalog's keys can be too many to all be looked at. */
function namesInScope(ctx: ExprContext): string[] {
  const names = [...ctx.scope.columns.map((c) => c.name), ...ctx.lets.keys()];
  for (const key of ctx.scope.mapKeys ?? []) {
    if (names.length >= SUGGESTION_CANDIDATES) {
      break;
    }
    names.push(key);
  }
  return names;
}

function variable(expr: Extract<Expr, { kind: 'variable' }>, ctx: ExprContext): Typed {
  const { name } = expr;
  if (name === '__interval' || name === '__interval_ms') {
    if (ctx.intervalMs === undefined) {
      throw new QueryError(`$${name} needs the request's interval, and this request has none`, expr.span, ['interval']);
    }
    if (name === '__interval_ms') {
      return {
        sql: ctx.params.named('__interval_ms', 'Int64', ctx.intervalMs),
        type: 'number',
        constant: { kind: 'number', value: ctx.intervalMs, text: String(ctx.intervalMs) },
      };
    }
    return {
      sql: ctx.params.named('__interval', 'Int64', ctx.intervalMs),
      type: 'timespan',
      constant: { kind: 'timespan', millis: ctx.intervalMs },
    };
  }
  if (name === '__from' || name === '__to') {
    return { sql: name === '__from' ? ctx.timeRange.from : ctx.timeRange.to, type: 'time' };
  }
  const value = ctx.variables[name];
  if (value === undefined) {
    const known = [...Object.keys(ctx.variables), ...SPECIAL_VARIABLES].map((v) => `$${v}`);
    throw new QueryError(`unknown variable $${name}${didYouMean(closeMatches(`$${name}`, known))}`, expr.span, known);
  }
  const param = `var_${name}`;
  if (Array.isArray(value)) {
    return {
      sql: ctx.params.named(param, 'Array(String)', value),
      type: 'array',
      element: 'string',
      constant: { kind: 'array', values: value },
    };
  }
  if (typeof value === 'number') {
    const type = Number.isSafeInteger(value) ? 'Int64' : 'Float64';
    return {
      sql: ctx.params.named(param, type, String(value)),
      type: 'number',
      constant: { kind: 'number', value, text: String(value) },
    };
  }
  return { sql: ctx.params.named(param, 'String', value), type: 'string', constant: { kind: 'string', value } };
}

function arrayLiteral(expr: Extract<Expr, { kind: 'array' }>, ctx: ExprContext): Typed {
  const constant = constantOf(expr, ctx);
  if (constant?.kind !== 'array') {
    throw new QueryError('dynamic([...]) takes constant strings or numbers', expr.span);
  }
  const numeric = constant.values.length > 0 && constant.values.every((v) => typeof v === 'number');
  if (constant.values.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
    throw new QueryError('a number in dynamic([...]) is out of range', expr.span);
  }
  const sql = numeric ? ctx.params.add('Array(Float64)', `[${constant.values.join(',')}]`) : ctx.params.add('Array(String)', constant.values.map(String));
  return { sql, type: 'array', element: numeric ? 'number' : 'string', constant };
}

function unary(expr: Extract<Expr, { kind: 'unary' }>, ctx: ExprContext): Typed {
  const operand = compileExpr(expr.operand, ctx);
  if (expr.op === 'not') {
    return { sql: `(NOT ${asBool(operand, expr.operand.span, 'not')})`, type: 'bool' };
  }
  if (operand.constant?.kind === 'timespan') {
    return timespan(-operand.constant.millis, expr.span, ctx);
  }
  if (operand.constant?.kind === 'number' && (Number.isSafeInteger(operand.constant.value) || !Number.isInteger(operand.constant.value))) {
    return knownNumber(-operand.constant.value, ctx);
  }
  if (operand.type === 'timespan') {
    return { sql: `(-${operand.sql})`, type: 'timespan', nullable: operand.nullable };
  }
  return { sql: `(-${asNumber(operand, expr.operand.span)})`, type: 'number', nullable: operand.nullable };
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, ctx: ExprContext): Typed {
  const left = compileExpr(expr.left, ctx);
  const right = compileExpr(expr.right, ctx);
  if (expr.op === 'and' || expr.op === 'or') {
    const l = asBool(left, expr.left.span, expr.op);
    const r = asBool(right, expr.right.span, expr.op);
    return { sql: `(${l} ${expr.op.toUpperCase()} ${r})`, type: 'bool' };
  }
  if (expr.op === '-' && left.type === 'time' && right.type === 'time') {
    return {
      sql: `(toUnixTimestamp64Milli(${left.sql}) - toUnixTimestamp64Milli(${right.sql}))`,
      type: 'timespan',
      nullable: true,
    };
  }
  if ((expr.op === '+' || expr.op === '-') && (left.type === 'time' || right.type === 'time')) {
    if (expr.op === '+' && left.type === 'timespan' && right.type === 'time') {
      return { sql: `(${right.sql} + ${asInterval(left, expr.left.span)})`, type: 'time', nullable: true };
    }
    if (left.type !== 'time' || right.type !== 'timespan') {
      throw new QueryError(`a time can only be moved by a timespan (time ${expr.op} 1h), got ${describe(left)} ${expr.op} ${describe(right)}`, expr.span);
    }
    return {
      sql: `(${left.sql} ${expr.op} ${asInterval(right, expr.right.span)})`,
      type: 'time',
      nullable: left.nullable,
    };
  }
  const folded = foldArithmetic(expr.op, left.constant, right.constant);
  if (folded?.kind === 'timespan') {
    return timespan(folded.millis, expr.span, ctx);
  }
  if (folded?.kind === 'number') {
    return knownNumber(folded.value, ctx);
  }
  if (left.type === 'timespan' || right.type === 'timespan') {
    return timespanArithmetic(expr.op as '+' | '-' | '*' | '/' | '%', left, right, expr.span);
  }
  const l = asNumber(left, expr.left.span);
  const r = asNumber(right, expr.right.span);
  return { sql: `(${l} ${expr.op} ${r})`, type: 'number', nullable: true };
}

/** Timespans (milliseconds) add and subtract, scale by numbers, and divide into a number. */
function timespanArithmetic(op: '+' | '-' | '*' | '/' | '%', left: Typed, right: Typed, span: Span): Typed {
  const both = left.type === 'timespan' && right.type === 'timespan';
  if ((op === '+' || op === '-') && both) {
    return { sql: `(${left.sql} ${op} ${right.sql})`, type: 'timespan', nullable: true };
  }
  if (op === '/' && both) {
    return { sql: `(${left.sql} / ${right.sql})`, type: 'number', nullable: true };
  }
  if (op === '*' && (left.type === 'number' || right.type === 'number')) {
    return { sql: `toInt64(${left.sql} * ${right.sql})`, type: 'timespan', nullable: true };
  }
  if (op === '/' && left.type === 'timespan' && right.type === 'number') {
    return { sql: `toInt64(${left.sql} / ${right.sql})`, type: 'timespan', nullable: true };
  }
  throw new QueryError(`cannot compute ${describe(left)} ${op} ${describe(right)}`, span);
}

function call(expr: Extract<Expr, { kind: 'call' }>, ctx: ExprContext): Typed {
  const userFunction = ctx.functions?.get(expr.name);
  if (userFunction) {
    return callUserFunction(userFunction, expr, ctx, expressions);
  }
  const name = canonicalName(expr.name);
  if (ROW_AGGREGATES.has(name)) {
    throw new QueryError(`${expr.name}() must be a summarize item, e.g. summarize ${expr.name}(time, *) by actor`, expr.nameSpan);
  }
  const aggregate = aggregateNamed(name);
  const spec = aggregate ?? functionNamed(name);
  if (!spec) {
    const known = [...KNOWN_FUNCTION_NAMES, ...(ctx.functions?.keys() ?? [])];
    throw new QueryError(`unknown function "${expr.name}"${didYouMean(closeMatches(expr.name, known))}`, expr.nameSpan, known.sort());
  }
  if (aggregate && ctx.mode !== 'aggregate') {
    throw new QueryError(`${expr.name}() is an aggregate: use it in summarize`, expr.nameSpan, ['summarize']);
  }
  const [min, max] = spec.args;
  if (expr.args.length < min || expr.args.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new QueryError(`${expr.name}() takes ${wanted} argument${max === 1 ? '' : 's'}, got ${expr.args.length}`, expr.span);
  }
  return spec.compile({ ...expr, name }, ctx, expressions);
}

/** The value of an expression the compiler can know: literals, variables, let constants. */
export function constantOf(expr: Expr, ctx: ExprContext): Constant | undefined {
  switch (expr.kind) {
    case 'string':
      return { kind: 'string', value: expr.value };
    case 'number':
      return { kind: 'number', value: Number(expr.text), text: expr.text };
    case 'timespan':
      return { kind: 'timespan', millis: expr.millis };
    case 'bool':
      return { kind: 'bool', value: expr.value };
    case 'unary': {
      const inner = expr.op === '-' ? constantOf(expr.operand, ctx) : undefined;
      if (inner?.kind === 'number') {
        return { kind: 'number', value: -inner.value, text: `-${inner.text}` };
      }
      return inner?.kind === 'timespan' ? { kind: 'timespan', millis: -inner.millis } : undefined;
    }
    case 'variable':
      return variableConstant(expr.name, ctx);
    case 'name':
      return expr.path.length === 1 ? ctx.lets.get(expr.path[0])?.constant : undefined;
    case 'binary':
      return foldArithmetic(expr.op, constantOf(expr.left, ctx), constantOf(expr.right, ctx));
    case 'call':
      return expr.name === 'pack_array' || expr.name === 'dynamic' ? constantOf({ kind: 'array', items: expr.args, span: expr.span }, ctx) : undefined;
    case 'array': {
      const values: Array<string | number> = [];
      for (const item of expr.items) {
        const value = constantOf(item, ctx);
        if (value?.kind === 'string' || value?.kind === 'number') {
          values.push(value.value);
        } else {
          return undefined;
        }
      }
      return { kind: 'array', values };
    }
    default:
      return undefined;
  }
}

function variableConstant(name: string, ctx: ExprContext): Constant | undefined {
  if (name === '__interval') {
    return ctx.intervalMs === undefined ? undefined : { kind: 'timespan', millis: ctx.intervalMs };
  }
  const value: VariableValue | undefined = ctx.variables[name];
  if (value === undefined) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return { kind: 'array', values: value };
  }
  return typeof value === 'number' ? { kind: 'number', value, text: String(value) } : { kind: 'string', value };
}

/**
 * `a op b` of two known numbers, or the sum or difference of two known timespans: computed
 * while compiling when JS gives what ClickHouse would (whole numbers only while exact).
 */
function foldArithmetic(op: BinaryOp, left: Constant | undefined, right: Constant | undefined): Constant | undefined {
  if (left?.kind === 'timespan' && right?.kind === 'timespan' && (op === '+' || op === '-')) {
    return { kind: 'timespan', millis: op === '+' ? left.millis + right.millis : left.millis - right.millis };
  }
  if (left?.kind !== 'number' || right?.kind !== 'number' || op === 'and' || op === 'or') {
    return undefined;
  }
  const value = ARITHMETIC[op](left.value, right.value);
  const whole = Number.isInteger(left.value) && Number.isInteger(right.value) && op !== '/';
  if (!Number.isFinite(value) || (whole && !(Number.isSafeInteger(left.value) && Number.isSafeInteger(right.value) && Number.isSafeInteger(value)))) {
    return undefined;
  }
  return { kind: 'number', value, text: String(value) };
}

const ARITHMETIC: Record<'+' | '-' | '*' | '/' | '%', (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};
