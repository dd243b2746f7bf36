import type { Assignment, Expr, NamePattern, ParsePart, Pipeline, SortTerm, Stage } from './ast';
import { asBool, asString, describe } from './coerce';
import { columnOf, findColumn, typedOf, type Column, type ExprContext, type ExprMode, type Scope, type Typed } from './context';
import { closeMatches, didYouMean, QueryError, type Span } from './errors';
import { compileExpr, constantOf } from './expressions';
import { canMerge, type LayerUse, type State } from './layers';
import { MAX_COLUMNS } from './limits';
import type { Params } from './params';
import { aggregateNamed, canonicalName } from './registry';
import { searchPredicate } from './search';
import { escapeRegex } from './sql';
import { compileTabularStage, mvExpand } from './tabular';

export const MAX_TAKE = 1_000_000;

/** What stages need from the compiler running them. */
export interface StageEnv {
  params: Params;
  ctx(scope: Scope, mode?: ExprMode): ExprContext;
  /** Closes the current layer and starts a new one over it. */
  wrap(state: State): State;
  /** Counts a layer another one reads (a side of a join, a member of a union) against the SQL limit. */
  close(state: State): void;
  checkDepth(depth: number): void;
  arrayJoinAlias(): string;
  tableAlias(): string;
  /** Compiles a pipeline written inside a stage, with the names bound where the stage is. */
  subPipeline(pipeline: Pipeline): State;
  setRender(visualization: string): void;
  timeBounds(): { from: string; to: string; fromMs: number; toMs: number };
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
      return {
        ...state,
        scope: { columns: [{ name: 'Count', sql: 'count()', type: 'number' }], mapKeys: null },
        ordered: false,
      };
    }
    case 'distinct':
      return distinct(env, ready(env, input, 'aggregate'), stage.columns);
    case 'mv-expand':
      return mvExpand(env, ready(env, input, 'expand'), stage.items, stage.limit);
    case 'parse':
      return parse(env, ready(env, input, 'project'), stage.source, stage.parts, false);
    case 'parse-where':
      return parse(env, ready(env, input, 'filter'), stage.source, stage.parts, true);
    default:
      return compileTabularStage(env, input, stage);
  }
}

export function ready(env: StageEnv, state: State, use: LayerUse): State {
  return canMerge(state.layer, use) ? state : env.wrap(state);
}

/** Fixes the implicit order while `time` is still in scope, before a projection may drop it. */
function keepOrder(state: State): State {
  return { ...state, ordered: implicitOrder(state) };
}

/** Without an explicit sort, rows come newest first (the logs view's order), aggregates by time key. */
export function implicitOrder(state: State): boolean {
  if (state.ordered || state.layer.distinct || state.layer.limit !== null || state.layer.limitBy) {
    return state.ordered;
  }
  if (state.layer.groupBy === null) {
    const time = state.scope.columns.find((c) => c.timeKey && !c.hidden && c.type === 'time') ?? findColumn(state.scope, 'time');
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

/** Functions whose unnamed column takes the name of their argument, as in KQL: tostring(x) → x. */
const NAME_KEEPING = new Set([
  'tostring',
  'toint',
  'tolong',
  'todouble',
  'toreal',
  'tobool',
  'todatetime',
  'totimespan',
  'parse_json',
  'todynamic',
  'bin',
  'floor',
  'tolower',
  'toupper',
  'trim',
]);

/**
 * KQL's names for unnamed columns: the column itself, `bin(time, 1h)` → time, `tostring(d.a)` →
 * d_a, count() → count_, otherwise Column1, ... A dotted name keeps its dots when it is a field
 * of the map (`userIdentity.arn`) and takes `_` when it is a path into a dynamic value.
 */
export function defaultName(expr: Expr, index: number, scope?: Scope): string {
  return inferredName(expr, scope) ?? `Column${index}`;
}

function isField(name: string, scope: Scope | undefined): boolean {
  return !scope || scope.columns.some((c) => c.name === name) || scope.mapKeys?.has(name) === true || name.startsWith('fields.');
}

function inferredName(expr: Expr, scope: Scope | undefined): string | undefined {
  switch (expr.kind) {
    case 'name': {
      if (expr.path[0] === 'fields' && expr.path.length > 1) {
        return expr.path.slice(1).join('.');
      }
      const dotted = expr.path.join('.');
      return expr.path.length === 1 || isField(dotted, scope) ? dotted : expr.path.join('_');
    }
    case 'member': {
      const base = inferredName(expr.base, scope);
      return base ? `${base}_${expr.name}` : expr.name;
    }
    case 'call': {
      const name = canonicalName(expr.name);
      const first = expr.args[0] ? inferredName(expr.args[0], scope) : undefined;
      const aggregate = aggregateNamed(name);
      if (aggregate) {
        if (aggregate.name) {
          return aggregate.name(expr, first ?? '');
        }
        return name === 'count' || name === 'countif' ? aggregate.prefix : `${aggregate.prefix}${expr.args[0]?.kind === 'name' ? (first ?? '') : ''}`;
      }
      return NAME_KEEPING.has(name) ? first : undefined;
    }
    default:
      return undefined;
  }
}

/** Builds a column list: explicit duplicates are errors, derived ones get a number appended. */
export class ColumnList {
  readonly columns: Column[] = [];

  /** `scope`: the input, to tell fields of the map from paths into dynamic values in derived names. */
  constructor(private readonly scope?: Scope) {}

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
      const base = defaultName(item.expr, ++this.derived, this.scope);
      name = base;
      let n = this.suffixes.get(base) ?? 1;
      for (; this.names.has(name); n++) {
        name = `${base}${n}`;
      }
      this.suffixes.set(base, n);
    }
    checkColumnCount(this.columns.length + 1, item.span);
    this.names.add(name);
    // A key's value is computed once per group: a property of it cannot be read from the row's JSON again.
    this.columns.push({ ...columnOf(name, typed), ...extra, ...(extra.key ? { jsonPath: undefined } : {}) });
  }
}

export function checkColumnCount(count: number, span: Span): void {
  if (count > MAX_COLUMNS) {
    throw new QueryError(`the query makes more than ${MAX_COLUMNS} columns (the limit)`, span);
  }
}

export function keepsMap(columns: Column[], scope: Scope): Scope['mapKeys'] {
  return columns.some((c) => c.name === 'fields' && c.type === 'map') ? scope.mapKeys : null;
}

function project(env: StageEnv, state: State, items: Assignment[]): State {
  const ctx = env.ctx(state.scope);
  const list = new ColumnList(state.scope);
  for (const item of items) {
    list.add(item, compileExpr(item.expr, ctx));
  }
  const columns = [...list.columns, ...state.scope.columns.filter((c) => c.hidden)];
  return { ...state, scope: { columns, mapKeys: keepsMap(list.columns, state.scope) } };
}

/** The visible columns a name or `prefix*` pattern names; an unknown name is an error. */
export function matching(columns: Column[], pattern: NamePattern): Column[] {
  const visible = columns.filter((c) => !c.hidden);
  if (pattern.wildcard) {
    return visible.filter((c) => c.name.startsWith(pattern.name));
  }
  const found = visible.filter((c) => c.name === pattern.name);
  if (found.length === 0) {
    const matches = closeMatches(
      pattern.name,
      visible.map((c) => c.name)
    );
    throw new QueryError(`unknown column "${pattern.name}"${didYouMean(matches)}`, pattern.span, matches);
  }
  return found;
}

function projectAway(state: State, names: NamePattern[]): State {
  let columns = state.scope.columns;
  for (const pattern of names) {
    const away = new Set(matching(columns, pattern));
    columns = columns.filter((c) => !away.has(c));
  }
  if (columns.filter((c) => !c.hidden).length === 0) {
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
    const name = item.name ?? defaultName(item.expr, i + 1, scope);
    checkName(name, item.nameSpan);
    scope = withColumn(scope, columnOf(name, typed));
    checkColumnCount(scope.columns.length, item.span);
  });
  return { ...state, scope };
}

export function withColumn(scope: Scope, column: Column): Scope {
  const exists = scope.columns.some((c) => c.name === column.name);
  const columns = exists ? scope.columns.map((c) => (c.name === column.name ? column : c)) : [...scope.columns, column];
  return { columns, mapKeys: column.name === 'fields' && column.type !== 'map' ? null : scope.mapKeys };
}

function summarize(env: StageEnv, state: State, aggregates: Assignment[], by: Assignment[]): State {
  const rowCtx = env.ctx(state.scope, 'row');
  const list = new ColumnList(state.scope);
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
    } else if (item.expr.kind === 'call' && item.expr.name === 'percentiles') {
      percentiles(item, item.expr, aggCtx, list);
    } else {
      list.add(item, compileExpr(item.expr, aggCtx));
    }
  }
  // Hidden columns ride along (mv-apply's): its row id is a key, the rest are the same in each group.
  const hidden = state.scope.columns.filter((c) => c.hidden);
  for (const column of hidden) {
    if (column.key) {
      groupBy.push(column.sql);
    }
  }
  const carried = hidden.map((c) => ({ ...c, sql: c.key ? c.sql : `any(${c.sql})` }));
  state.layer.groupBy = groupBy;
  state.layer.orderBy = [];
  return { ...state, scope: { columns: [...list.columns, ...carried], mapKeys: null }, ordered: false };
}

/** `percentiles(x, 50, 95)`: a column per percentile, percentile_x_50 and percentile_x_95. */
function percentiles(item: Assignment, call: Extract<Expr, { kind: 'call' }>, ctx: ExprContext, list: ColumnList): void {
  if (call.args.length < 2) {
    throw new QueryError('percentiles() needs the value and at least one percentile', call.span, ['percentiles(x, 50, 95)']);
  }
  if (item.name) {
    throw new QueryError(
      'percentiles() makes a column per percentile, named percentile_x_p: leave it unnamed, or name percentile() items one by one',
      item.nameSpan
    );
  }
  for (const p of call.args.slice(1)) {
    const single: Extract<Expr, { kind: 'call' }> = { ...call, name: 'percentile', args: [call.args[0], p] };
    list.add({ expr: single, span: call.span }, compileExpr(single, ctx));
  }
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
        if (!taken.has(column.name) && !column.hidden) {
          columns.push({ name: column.name, typed: typedOf(column), span: arg.span });
        }
      }
    } else {
      const typed = compileExpr(arg, ctx);
      columns.push({ name: defaultName(arg, list.columns.length + 1, ctx.scope), typed, span: arg.span });
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
  const list = new ColumnList(state.scope);
  for (const expr of exprs) {
    if (expr.kind === 'star') {
      state.scope.columns
        .filter((c) => !c.hidden)
        .forEach((c) => list.add({ expr: { kind: 'name', path: [c.name], span: expr.span }, name: c.name, span: expr.span }, typedOf(c)));
      continue;
    }
    list.add({ expr, span: expr.span }, compileExpr(expr, ctx));
  }
  state.layer.distinct = true;
  state.layer.orderBy = [];
  return { ...state, scope: { columns: list.columns, mapKeys: keepsMap(list.columns, state.scope) }, ordered: false };
}

const PARSE_TYPES: Record<string, (sql: string) => Typed> = {
  string: (sql) => ({ sql, type: 'string' }),
  int: (sql) => ({ sql: `toInt64OrNull(${sql})`, type: 'number', nullable: true }),
  long: (sql) => ({ sql: `toInt64OrNull(${sql})`, type: 'number', nullable: true }),
  real: (sql) => ({ sql: `toFloat64OrNull(${sql})`, type: 'number', nullable: true }),
  double: (sql) => ({ sql: `toFloat64OrNull(${sql})`, type: 'number', nullable: true }),
  datetime: (sql) => ({ sql: `parseDateTime64BestEffortOrNull(${sql}, 3, 'UTC')`, type: 'time', nullable: true }),
};

/** `parse src with * "user=" user " " *`: a regex from the pattern, one column per capture; parse-where keeps only rows that match. */
function parse(env: StageEnv, state: State, source: Expr, parts: ParsePart[], filter: boolean): State {
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
  const pattern = env.params.add('String', regex);
  const groups = `extractGroups(${text}, ${pattern})`;
  if (filter) {
    state.layer.where.push(`match(${text}, ${pattern})`);
  }
  let scope = state.scope;
  let index = 0;
  for (const part of parts) {
    if (part.kind !== 'capture') {
      continue;
    }
    const convert = PARSE_TYPES[part.type === 'bool' || part.type === 'boolean' ? 'string' : part.type];
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
