import type { Expr } from './ast';
import { asNumber, describe } from './coerce';
import { validJsonPath, type ExprContext, type FunctionDef, type LetValue, type Typed } from './context';
import { QueryError, type Span } from './errors';
import type { CallExpr, Compiler } from './functions';

/**
 * `value.name`, `value["name"]`, `value[i]`: a property or element of a dynamic value (JSON text,
 * read with JSONExtractRaw; a chain of them is one call), or an element of an array. Indexes are
 * 0-based; negative ones count from the end. What is missing reads as null ("").
 */
export function accessDynamic(base: Typed, key: { name: string } | { index: Expr }, span: Span, ctx: ExprContext, c?: Compiler): Typed {
  const index = 'index' in key ? (c as Compiler).compile(key.index, ctx) : undefined;
  if (base.type === 'array') {
    if (!index) {
      throw new QueryError(`an array has no property "${(key as { name: string }).name}": index it with [0], [-1]`, span);
    }
    const element = base.element ?? 'string';
    return {
      sql: `arrayElement(${base.sql}, ${position(index, ctx, span)})`,
      type: element,
      nullable: element !== 'string' && element !== 'dynamic',
    };
  }
  let root: string;
  let args: string[];
  const path = validJsonPath(base);
  if (path) {
    ({ root } = path);
    args = [...path.args];
  } else if (base.type === 'dynamic' || (base.type === 'string' && (base.json || base.mapField))) {
    root = base.sql;
    args = [];
  } else {
    const what = index ? 'elements' : 'properties';
    throw new QueryError(`${describe(base)} has no ${what}: parse_json() reads JSON text as a dynamic value`, span, ['parse_json()']);
  }
  args.push(index ? position(index, ctx, span) : ctx.params.add('String', (key as { name: string }).name));
  const sql = `JSONExtractRaw(${root}, ${args.join(', ')})`;
  return { sql, type: 'dynamic', jsonPath: { root, args, sql } };
}

/** A 0-based index (negative from the end) as ClickHouse's 1-based one. */
function position(index: Typed, ctx: ExprContext, span: Span): string {
  const constant = index.constant;
  if (constant?.kind === 'number') {
    if (!Number.isSafeInteger(constant.value)) {
      throw new QueryError('an index must be a whole number', span);
    }
    return ctx.params.add('Int64', constant.value >= 0 ? constant.value + 1 : constant.value);
  }
  const n = `toInt64(${asNumber(index, span)})`;
  return `(${n} + if(${n} >= 0, 1, 0))`;
}

/**
 * A call of a user function whose body is a scalar expression: the body compiled again for this
 * call, its parameters bound to the arguments (compiled where the call is). Each call counts the
 * definition's size against the query's expansion budget, so nested calls stay bounded.
 */
export function callUserFunction(def: FunctionDef, call: CallExpr, ctx: ExprContext, c: Compiler): Typed {
  if (def.body.kind !== 'scalar') {
    throw new QueryError(`${def.name}() returns a table: use it where a table goes (${def.name}() | ..., join (${def.name}()) on ...)`, call.nameSpan);
  }
  if (ctx.calls?.includes(def.name)) {
    throw new QueryError(`${def.name}() calls itself: functions cannot be recursive`, call.nameSpan);
  }
  ctx.hooks?.expand(def.nodes, call.span);
  const lets = bindArguments(def, call, ctx, c);
  // The function itself stays visible so that a call of it in its body is refused as recursion, not as unknown.
  const functions = new Map(def.closure.functions).set(def.name, def);
  const inner: ExprContext = {
    ...ctx,
    scope: { columns: [], mapKeys: null },
    lets,
    functions,
    calls: [...(ctx.calls ?? []), def.name],
  };
  for (const statement of def.lets) {
    if (statement.value.kind !== 'scalar') {
      throw new QueryError('a function that returns a value can hold scalar lets only', statement.span);
    }
    const typed = c.compile(statement.value.expr, inner);
    lets.set(statement.name, {
      typed,
      constant: c.constantOf(statement.value.expr, inner) ?? typed.constant,
      span: statement.span,
    });
  }
  return c.compile(def.body.expr, inner);
}

/** The closure's lets plus one per parameter, bound to the call's arguments (or the defaults). */
export function bindArguments(def: FunctionDef, call: { args: Expr[]; span: Span; nameSpan?: Span }, ctx: ExprContext, c: Compiler): Map<string, LetValue> {
  const required = def.params.filter((p) => p.fallback === undefined).length;
  if (call.args.length < required || call.args.length > def.params.length) {
    const wanted = required === def.params.length ? `${required}` : `${required} to ${def.params.length}`;
    throw new QueryError(`${def.name}() takes ${wanted} argument${def.params.length === 1 ? '' : 's'}, got ${call.args.length}`, call.span);
  }
  const lets = new Map(def.closure.lets);
  const closureCtx: ExprContext = {
    ...ctx,
    scope: { columns: [], mapKeys: null },
    lets: def.closure.lets,
    functions: def.closure.functions,
    mode: 'constant',
  };
  def.params.forEach((param, i) => {
    const arg = call.args[i];
    const argCtx = arg ? ctx : closureCtx;
    const expr = arg ?? (param.fallback as Expr);
    const typed = c.compile(expr, argCtx);
    lets.set(param.name, { typed, constant: c.constantOf(expr, argCtx) ?? typed.constant, span: param.span });
  });
  return lets;
}
