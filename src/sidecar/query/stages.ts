import { AGGREGATES } from './aggregates';
import type { Assignment, Expr, ParsePart, SortTerm, Stage } from './ast';
import { asBool, asString, describe } from './coerce';
import { columnOf, findColumn, typedOf, type Column, type ExprContext, type ExprMode, type Scope, type Typed } from './context';
import { closeMatches, didYouMean, QueryError, type Span } from './errors';
import { compileExpr, constantOf } from './expressions';
import { canMerge, type LayerUse, type State } from './layers';
import { MAX_COLUMNS } from './limits';
import type { Params } from './params';
import { searchPredicate } from './search';
import { escapeRegex } from './sql';

export const MAX_TAKE = 1_000_000;

/** What stages need from the compiler running them. */
export interface StageEnv {
  params: Params;
  ctx(scope: Scope, mode?: ExprMode): ExprContext;
  /** Closes the current layer and starts a new one over it. */
  wrap(state: State): State;
  arrayJoinAlias(): string;
}

export function compileStage(env: StageEnv, input: State, stage: Stage): State {
  switch (stage.kind) {
    case 'where': {
      const state = ready(env, input, 'filter');
      const predicate = compileExpr(stage.predicate, env.ctx(state.scope));
      state.layer.where.push(asBool(predicate, stage.predicate.span, 'where'));
      return state;
    }
    case 'search': {
      const state = ready(env, input, 'filter');
      state.layer.where.push(searchPredicate(stage.expr, stage.caseSensitive, env.ctx(state.scope)));
      return state;
    }
    case 'project':
      return project(env, keepOrder(ready(env, input, 'project')), stage.items);
    case 'project-away':
      return projectAway(keepOrder(input), stage.names);
    case 'project-rename':
      return projectRename(keepOrder(input), stage.renames);
    case 'extend':
      return extend(env, ready(env, input, 'project'), stage.items);
    case 'summarize':
      return summarize(env, ready(env, input, 'aggregate'), stage.aggregates, stage.by);
    case 'sort': {
      const state = ready(env, input, 'sort');
      state.layer.orderBy = stage.terms.map((t) => sortSql(env, state, t));
      return { ...state, ordered: true };
    }
    case 'top': {
      const state = ready(env, input, 'sort');
      state.layer.orderBy = [sortSql(env, state, stage.term)];
      state.layer.limit = takeCount(env, state, stage.count);
      return { ...state, ordered: true };
    }
    case 'take': {
      const state = ready(env, input, 'limit');
      const ordered = implicitOrder(state);
      state.layer.limit = takeCount(env, state, stage.count);
      return { ...state, ordered };
    }
    case 'count': {
      const state = ready(env, input, 'aggregate');
      state.layer.groupBy = [];
      state.layer.orderBy = [];
      return { ...state, scope: { columns: [{ name: 'Count', sql: 'count()', type: 'number' }], mapKeys: null }, ordered: false };
    }
    case 'distinct':
      return distinct(env, ready(env, input, 'aggregate'), stage.columns);
    case 'mv-expand':
      return mvExpand(env, ready(env, input, 'expand'), stage.item);
    case 'parse':
      return parse(env, ready(env, input, 'project'), stage.source, stage.parts);
  }
}

function ready(env: StageEnv, state: State, use: LayerUse): State {
  return canMerge(state.layer, use) ? state : env.wrap(state);
}

/** Fixes the implicit order while `time` is still in scope, before a projection may drop it. */
function keepOrder(state: State): State {
  return { ...state, ordered: implicitOrder(state) };
}

/** Without an explicit sort, rows come newest first (the logs view's order), aggregates by time key. */
export function implicitOrder(state: State): boolean {
  if (state.ordered || state.layer.distinct || state.layer.limit !== null) {
    return state.ordered;
  }
  if (state.layer.groupBy === null) {
    const time = findColumn(state.scope, 'time');
    if (time?.type === 'time') {
      state.layer.orderBy = [`${time.sql} DESC`];
      return true;
    }
    return false;
  }
  const key = state.scope.columns.find((c) => c.key && c.type === 'time');
  if (key) {
    state.layer.orderBy = [`${key.sql} ASC`];
    return true;
  }
  return false;
}

export function checkName(name: string, span: Span | undefined): void {
  if (name.startsWith('__')) {
    throw new QueryError(`column names starting with "__" are reserved: "${name}"`, span);
  }
  if (/[\u0000-\u001f\u007f]/.test(name) || name.length > 256) {
    throw new QueryError('a column name must be at most 256 characters without control characters', span);
  }
}

/** KQL's names for unnamed columns: the column itself, `bin(time, 1h)` → time, count() → count_. */
function defaultName(expr: Expr, index: number): string {
  if (expr.kind === 'name') {
    return expr.path[0] === 'fields' && expr.path.length > 1 ? expr.path.slice(1).join('.') : expr.path.join('.');
  }
  if (expr.kind === 'call') {
    const first = expr.args[0]?.kind === 'name' ? defaultName(expr.args[0], index) : '';
    const aggregate = AGGREGATES[expr.name];
    if (aggregate) {
      return expr.name === 'count' || expr.name === 'countif' ? aggregate.prefix : `${aggregate.prefix}${first}`;
    }
    if (expr.name === 'bin' && first) {
      return first;
    }
  }
  return `Column${index}`;
}

/** Builds a column list: explicit duplicates are errors, derived ones get a number appended. */
class ColumnList {
  readonly columns: Column[] = [];
  private readonly names = new Set<string>();
  /** Per derived name, the number to try first: every smaller one is taken. */
  private readonly suffixes = new Map<string, number>();
  private derived = 0;

  add(item: Assignment | { expr: Expr; name?: string; nameSpan?: Span; span: Span }, typed: Typed, extra: Partial<Column> = {}): void {
    let name = item.name;
    if (name !== undefined) {
      checkName(name, item.nameSpan);
      if (this.names.has(name)) {
        throw new QueryError(`column "${name}" appears twice`, item.nameSpan);
      }
    } else {
      const base = defaultName(item.expr, ++this.derived);
      name = base;
      let n = this.suffixes.get(base) ?? 1;
      for (; this.names.has(name); n++) {
        name = `${base}${n}`;
      }
      this.suffixes.set(base, n);
    }
    checkColumnCount(this.columns.length + 1, item.span);
    this.names.add(name);
    this.columns.push({ ...columnOf(name, typed), ...extra });
  }
}

function checkColumnCount(count: number, span: Span): void {
  if (count > MAX_COLUMNS) {
    throw new QueryError(`the query makes more than ${MAX_COLUMNS} columns (the limit)`, span);
  }
}

function keepsMap(columns: Column[], scope: Scope): Scope['mapKeys'] {
  return columns.some((c) => c.name === 'fields' && c.type === 'map') ? scope.mapKeys : null;
}

function project(env: StageEnv, state: State, items: Assignment[]): State {
  const ctx = env.ctx(state.scope);
  const list = new ColumnList();
  for (const item of items) {
    list.add(item, compileExpr(item.expr, ctx));
  }
  return { ...state, scope: { columns: list.columns, mapKeys: keepsMap(list.columns, state.scope) } };
}

function projectAway(state: State, names: Array<{ name: string; span: Span }>): State {
  let columns = state.scope.columns;
  for (const { name, span } of names) {
    if (!columns.some((c) => c.name === name)) {
      const matches = closeMatches(
        name,
        columns.map((c) => c.name)
      );
      throw new QueryError(`unknown column "${name}"${didYouMean(matches)}`, span, matches);
    }
    columns = columns.filter((c) => c.name !== name);
  }
  if (columns.length === 0) {
    throw new QueryError('project-away removed every column', names[names.length - 1].span);
  }
  return { ...state, scope: { columns, mapKeys: keepsMap(columns, state.scope) } };
}

function projectRename(state: State, renames: Array<{ name: string; nameSpan: Span; from: { name: string; span: Span } }>): State {
  let columns = state.scope.columns;
  for (const { name, nameSpan, from } of renames) {
    checkName(name, nameSpan);
    if (!columns.some((c) => c.name === from.name)) {
      const matches = closeMatches(
        from.name,
        columns.map((c) => c.name)
      );
      throw new QueryError(`unknown column "${from.name}"${didYouMean(matches)}`, from.span, matches);
    }
    if (name !== from.name && columns.some((c) => c.name === name)) {
      throw new QueryError(`column "${name}" already exists`, nameSpan);
    }
    columns = columns.map((c) => (c.name === from.name ? { ...c, name } : c));
  }
  return { ...state, scope: { columns, mapKeys: keepsMap(columns, state.scope) } };
}

/** Adds or replaces columns; each item sees the ones before it. */
function extend(env: StageEnv, state: State, items: Assignment[]): State {
  let scope = state.scope;
  items.forEach((item, i) => {
    const typed = compileExpr(item.expr, env.ctx(scope));
    const name = item.name ?? defaultName(item.expr, i + 1);
    checkName(name, item.nameSpan);
    scope = withColumn(scope, columnOf(name, typed));
    checkColumnCount(scope.columns.length, item.span);
  });
  return { ...state, scope };
}

function withColumn(scope: Scope, column: Column): Scope {
  const exists = scope.columns.some((c) => c.name === column.name);
  const columns = exists ? scope.columns.map((c) => (c.name === column.name ? column : c)) : [...scope.columns, column];
  return { columns, mapKeys: column.name === 'fields' && column.type !== 'map' ? null : scope.mapKeys };
}

function summarize(env: StageEnv, state: State, aggregates: Assignment[], by: Assignment[]): State {
  const rowCtx = env.ctx(state.scope, 'row');
  const list = new ColumnList();
  const groupBy: string[] = [];
  for (const item of by) {
    const typed = compileExpr(item.expr, rowCtx);
    if (typed.type === 'map') {
      throw new QueryError('cannot group by the whole fields map: name a field', item.expr.span);
    }
    list.add(item, typed, { key: true });
    groupBy.push(typed.sql);
  }
  const aggCtx = env.ctx(state.scope, 'aggregate');
  for (const item of aggregates) {
    if (item.expr.kind === 'call' && (item.expr.name === 'arg_max' || item.expr.name === 'arg_min')) {
      argExtreme(item, item.expr, rowCtx, list);
    } else {
      list.add(item, compileExpr(item.expr, aggCtx));
    }
  }
  state.layer.groupBy = groupBy;
  state.layer.orderBy = [];
  return { ...state, scope: { columns: list.columns, mapKeys: null }, ordered: false };
}

/** `arg_max(time, *)`: the maximum, and the other columns of the row that has it. */
function argExtreme(item: Assignment, call: Extract<Expr, { kind: 'call' }>, ctx: ExprContext, list: ColumnList): void {
  if (call.args.length < 2) {
    throw new QueryError(`${call.name}() needs the expression to maximise and the columns to return (or *)`, call.span, [`${call.name}(time, *)`]);
  }
  const [target, ...wanted] = call.args;
  const by = compileExpr(target, ctx);
  const [fn, argFn] = call.name === 'arg_max' ? ['max', 'argMax'] : ['min', 'argMin'];
  list.add({ ...item, expr: target }, { ...by, sql: `${fn}(${by.sql})` });
  const taken = new Set(list.columns.map((c) => c.name));
  const columns: Array<{ name: string; typed: Typed; span: Span }> = [];
  for (const arg of wanted) {
    if (arg.kind === 'star') {
      for (const column of ctx.scope.columns) {
        if (!taken.has(column.name)) {
          columns.push({ name: column.name, typed: typedOf(column), span: arg.span });
        }
      }
    } else {
      const typed = compileExpr(arg, ctx);
      columns.push({ name: defaultName(arg, list.columns.length + 1), typed, span: arg.span });
    }
  }
  for (const { name, typed, span } of columns) {
    if (!taken.has(name)) {
      taken.add(name);
      list.add({ expr: { kind: 'name', path: [name], span }, name, span }, { ...typed, sql: `${argFn}(${typed.sql}, ${by.sql})`, nullable: true });
    }
  }
}

function sortSql(env: StageEnv, state: State, term: SortTerm): string {
  const typed = compileExpr(term.expr, env.ctx(state.scope));
  if (typed.type === 'map' || typed.type === 'array') {
    throw new QueryError(`cannot sort by ${describe(typed)}`, term.expr.span);
  }
  return `${typed.sql} ${term.desc ? 'DESC' : 'ASC'} NULLS ${term.nullsFirst ? 'FIRST' : 'LAST'}`;
}

function takeCount(env: StageEnv, state: State, expr: Expr): string {
  const value = constantOf(expr, env.ctx(state.scope));
  if (value?.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0 || value.value > MAX_TAKE) {
    throw new QueryError(`expected a whole number of rows from 0 to ${MAX_TAKE}`, expr.span, ['a number']);
  }
  return env.params.add('UInt64', value.value);
}

function distinct(env: StageEnv, state: State, exprs: Expr[]): State {
  const ctx = env.ctx(state.scope);
  const list = new ColumnList();
  for (const expr of exprs) {
    if (expr.kind !== 'name') {
      throw new QueryError('distinct takes column names', expr.span, ['a column name']);
    }
    list.add({ expr, span: expr.span }, compileExpr(expr, ctx));
  }
  state.layer.distinct = true;
  state.layer.orderBy = [];
  return { ...state, scope: { columns: list.columns, mapKeys: keepsMap(list.columns, state.scope) }, ordered: false };
}

/** One row per element of an array, or of a JSON array held as text (a map field). */
function mvExpand(env: StageEnv, state: State, item: Assignment): State {
  const typed = compileExpr(item.expr, env.ctx(state.scope));
  let array: string;
  let element = typed.element ?? 'string';
  if (typed.type === 'array') {
    array = typed.sql;
  } else if (typed.type === 'string') {
    array = `arrayMap(__e -> if(startsWith(__e, '"'), JSONExtractString(__e), __e), JSONExtractArrayRaw(${typed.sql}))`;
    element = 'string';
  } else {
    throw new QueryError(`mv-expand needs an array or a JSON array field, got ${describe(typed)}`, item.expr.span);
  }
  const name = item.name ?? defaultName(item.expr, 1);
  checkName(name, item.nameSpan);
  const alias = env.arrayJoinAlias();
  state.layer.arrayJoin = { sql: array, alias };
  const scope = withColumn(state.scope, { name, type: element, sql: alias, nullable: element !== 'string' });
  checkColumnCount(scope.columns.length, item.span);
  return { ...state, scope };
}

const PARSE_TYPES: Record<string, (sql: string) => Typed> = {
  string: (sql) => ({ sql, type: 'string' }),
  int: (sql) => ({ sql: `toInt64OrNull(${sql})`, type: 'number', nullable: true }),
  long: (sql) => ({ sql: `toInt64OrNull(${sql})`, type: 'number', nullable: true }),
  real: (sql) => ({ sql: `toFloat64OrNull(${sql})`, type: 'number', nullable: true }),
  double: (sql) => ({ sql: `toFloat64OrNull(${sql})`, type: 'number', nullable: true }),
  datetime: (sql) => ({ sql: `parseDateTime64BestEffortOrNull(${sql}, 3, 'UTC')`, type: 'time', nullable: true }),
};

/** `parse src with * "user=" user " " *`: a regex from the pattern, one column per capture. */
function parse(env: StageEnv, state: State, source: Expr, parts: ParsePart[]): State {
  const text = asString(compileExpr(source, env.ctx(state.scope)), source.span);
  let regex = '(?s)^';
  parts.forEach((part, i) => {
    if (part.kind === 'literal') {
      regex += escapeRegex(part.value);
    } else if (part.kind === 'wildcard') {
      regex += '.*?';
    } else {
      regex += i === parts.length - 1 ? '(.*)' : '(.*?)';
    }
  });
  const groups = `extractGroups(${text}, ${env.params.add('String', regex)})`;
  let scope = state.scope;
  let index = 0;
  for (const part of parts) {
    if (part.kind !== 'capture') {
      continue;
    }
    const convert = PARSE_TYPES[part.type];
    if (!convert) {
      throw new QueryError(`unknown type "${part.type}"`, part.span, Object.keys(PARSE_TYPES));
    }
    checkName(part.name, part.span);
    const typed = convert(`arrayElement(${groups}, ${++index})`);
    scope = withColumn(scope, columnOf(part.name, typed));
    checkColumnCount(scope.columns.length, part.span);
  }
  return { ...state, scope };
}
