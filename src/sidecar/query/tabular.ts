import type { Assignment, DatatableColumn, Expr, JoinKey, JoinKind, MvItem, NamePattern, Pipeline, Source, Stage, TabularStage, UnionOptions } from './ast';
import { asDynamic, asNumber, asTime, describe, dynamicText } from './coerce';
import { typedOf, type Column, type Scope } from './context';
import { QueryError, type Span } from './errors';
import { compileExpr, constantOf } from './expressions';
import { newLayer, type JoinType, type Layer, type State, type SubLayer } from './layers';
import { MAX_COLUMNS } from './limits';
import { quoteIdent } from './sql';
import {
  checkColumnCount,
  checkName,
  ColumnList,
  compileStage,
  defaultName,
  implicitOrder,
  keepsMap,
  matching,
  MAX_TAKE,
  ready,
  withColumn,
  type StageEnv,
} from './stages';
import type { ValueType } from './tables';

// Stages that read other tables (join, lookup, union), reshape a whole table (make-series,
// top-nested, mv-apply, getschema) or say how to show it (render); and the sources that are no
// table of the store (datatable, print).

export function compileTabularStage(env: StageEnv, input: State, stage: Stage): State {
  const tabular = stage as TabularStage;
  switch (tabular.kind) {
    case 'join':
      return join(env, input, tabular.joinKind, env.subPipeline(tabular.right), tabular.keys, false);
    case 'lookup':
      return join(env, input, tabular.joinKind, env.subPipeline(tabular.right), tabular.keys, true);
    case 'union':
      return union(
        env,
        [{ state: input, name: 'union_arg0' }, ...tabular.members.map((m, i) => ({ state: env.subPipeline(m), name: memberName(m, i + 1) }))],
        tabular.options
      );
    case 'make-series':
      return makeSeries(env, input, tabular);
    case 'top-nested':
      return topNested(env, input, tabular);
    case 'mv-apply':
      return mvApply(env, input, tabular.items, tabular.stages);
    case 'mv-expand':
      return mvExpand(env, ready(env, input, 'expand'), tabular.items, tabular.limit);
    case 'project-keep': {
      const state = { ...input, ordered: implicitOrder(input) };
      const kept = new Set(tabular.patterns.flatMap((p) => matching(state.scope.columns, p)));
      const columns = state.scope.columns.filter((c) => kept.has(c) || c.hidden);
      return { ...state, scope: { columns, mapKeys: keepsMap(columns, state.scope) } };
    }
    case 'project-reorder': {
      const first: Column[] = [];
      for (const pattern of tabular.patterns) {
        for (const column of sortedNames(matching(input.scope.columns, pattern), pattern.order)) {
          if (!first.includes(column)) {
            first.push(column);
          }
        }
      }
      return {
        ...input,
        scope: { ...input.scope, columns: [...first, ...input.scope.columns.filter((c) => !first.includes(c))] },
      };
    }
    case 'render':
      env.setRender(checkVisualization(tabular.visualization, tabular.span));
      return input;
    case 'sample': {
      const state = ready(env, input, 'sort');
      const count = constantOf(tabular.count, env.ctx(state.scope));
      if (count?.kind !== 'number' || !Number.isInteger(count.value) || count.value < 0 || count.value > MAX_TAKE) {
        throw new QueryError(`expected a whole number of rows from 0 to ${MAX_TAKE}`, tabular.count.span, ['a number']);
      }
      state.layer.orderBy = ['rand()'];
      state.layer.limit = env.params.add('UInt64', count.value);
      return { ...state, ordered: true };
    }
    case 'getschema':
      return getschema(env, input);
    case 'serialize': {
      const state = { ...input, ordered: implicitOrder(input) || input.ordered };
      return tabular.items.length === 0 ? state : compileStage(env, state, { kind: 'extend', items: tabular.items, span: tabular.span });
    }
    case 'parse-where':
    case 'as':
      throw new QueryError(`${tabular.kind} is compiled elsewhere`, tabular.span);
  }
}

/** The name union's withsource gives a member: its table or let when it is only that, else union_argN. */
function memberName(pipeline: Pipeline, i: number): string {
  return pipeline.stages.length === 0 && pipeline.source.kind === 'table' ? pipeline.source.name : `union_arg${i}`;
}

export const VISUALIZATIONS = [
  'table',
  'timechart',
  'linechart',
  'areachart',
  'stackedareachart',
  'barchart',
  'columnchart',
  'piechart',
  'scatterchart',
  'card',
  'anomalychart',
  'timepivot',
  'pivotchart',
  'treemap',
  'ladderchart',
];

function checkVisualization(name: string, span: Span): string {
  if (!VISUALIZATIONS.includes(name)) {
    throw new QueryError(`unknown visualization "${name}"`, span, VISUALIZATIONS);
  }
  return name;
}

/** Closes a side of a join or a member of a union: the layer becomes a subquery under a fresh alias. */
function side(env: StageEnv, state: State, marker: boolean): SubLayer {
  unordered(state.layer);
  const columns = state.scope.columns.filter((c) => !c.hidden);
  const selected = marker ? [...columns, { name: '__m', type: 'number' as const, sql: '1' }] : columns;
  env.close({ ...state, scope: { ...state.scope, columns: selected } });
  return { layer: state.layer, columns: selected, alias: env.tableAlias() };
}

/** Drops a sort that only set the order rows come in (no limit depends on it): a join or union reorders them anyway. */
function unordered(layer: Layer): void {
  if (layer.limit === null && !layer.limitBy) {
    layer.orderBy = [];
  }
}

/** A column of a joined side as the join's layer reads it; on the side that may have no match, values a missing row can't have become null. */
function sideColumn(sub: SubLayer, column: Column, nullable: boolean, name = column.name): Column {
  const ref = `${sub.alias}.${quoteIdent(column.name)}`;
  const defaults = column.type === 'string' || column.type === 'dynamic' || column.type === 'array' || column.type === 'map';
  const sql = nullable && !defaults ? `if(${sub.alias}.__m = 1, ${ref}, NULL)` : ref;
  return {
    name,
    type: column.type,
    sql,
    nullable: column.nullable || (nullable && !defaults),
    element: column.element,
    json: column.json,
    raw: column.raw,
    timeKey: name === column.name ? column.timeKey : undefined,
    kqlType: column.kqlType,
  };
}

const JOIN_TYPES: Record<JoinKind, JoinType> = {
  innerunique: 'INNER',
  inner: 'INNER',
  leftouter: 'LEFT',
  rightouter: 'RIGHT',
  fullouter: 'FULL',
  leftanti: 'LEFT ANTI',
  rightanti: 'RIGHT ANTI',
  leftsemi: 'LEFT SEMI',
  rightsemi: 'RIGHT SEMI',
};

function keyColumn(scope: Scope, ref: { name: string; span: Span }, which: string): Column {
  const column = scope.columns.find((c) => c.name === ref.name && !c.hidden);
  if (!column) {
    throw new QueryError(
      `the join key "${ref.name}" is not a column of the ${which} side`,
      ref.span,
      scope.columns.filter((c) => !c.hidden).map((c) => c.name)
    );
  }
  if (column.type === 'map' || column.type === 'array') {
    throw new QueryError(`cannot join on ${describe(typedOf(column))}`, ref.span);
  }
  return column;
}

/**
 * KQL's join (and lookup) on equal keys. Each side is a subquery; innerunique keeps one left row
 * per key first; on an outer join the side without a match gives nulls (strings ""). Output: the
 * left's columns, then the right's, a right name already taken getting 1, 2, ... appended (lookup
 * drops the right's key columns); semi and anti joins give one side's columns only.
 */
export function join(env: StageEnv, leftInput: State, kind: JoinKind, rightInput: State, keys: JoinKey[], lookup: boolean): State {
  let left = leftInput;
  const pairs = keys.map((key) => {
    const l = keyColumn(left.scope, key.left, 'left');
    const r = keyColumn(rightInput.scope, key.right, 'right');
    const lt = l.type === 'null' ? r.type : l.type;
    const rt = r.type === 'null' ? l.type : r.type;
    if (lt !== rt) {
      throw new QueryError(`the join compares ${describe(typedOf(l))} with ${describe(typedOf(r))}: convert one, e.g. tostring()`, key.span);
    }
    return { l, r, span: key.span };
  });
  if (kind === 'innerunique') {
    // One row per key on the left (an arbitrary one), as KQL's default join does.
    left = ready(env, left, 'limit');
    left.layer.limitBy = {
      count: '1',
      by: pairs.map((p) => (left.scope.columns.find((c) => c.name === p.l.name) as Column).sql),
    };
    left.layer.orderBy = [];
  }
  const leftNulls = kind === 'rightouter' || kind === 'fullouter';
  const rightNulls = kind === 'leftouter' || kind === 'fullouter';
  const l = side(env, left, leftNulls);
  const r = side(env, rightInput, rightNulls);
  const on = pairs.map((p) => `${l.alias}.${quoteIdent(p.l.name)} = ${r.alias}.${quoteIdent(p.r.name)}`);
  const leftColumns = l.columns.filter((c) => c.name !== '__m');
  const rightColumns = r.columns.filter((c) => c.name !== '__m');
  let columns: Column[];
  if (kind === 'leftanti' || kind === 'leftsemi') {
    columns = leftColumns.map((c) => sideColumn(l, c, false));
  } else if (kind === 'rightanti' || kind === 'rightsemi') {
    columns = rightColumns.map((c) => sideColumn(r, c, false));
  } else {
    columns = leftColumns.map((c) => sideColumn(l, c, leftNulls));
    const taken = new Set(columns.map((c) => c.name));
    const rightKeys = new Set(pairs.map((p) => p.r.name));
    for (const column of rightColumns) {
      if (lookup && rightKeys.has(column.name)) {
        continue;
      }
      let name = column.name;
      for (let n = 1; taken.has(name); n++) {
        name = `${column.name}${n}`;
      }
      taken.add(name);
      columns.push(sideColumn(r, column, rightNulls, name));
    }
  }
  checkColumnCount(columns.length, keys[0].span);
  const depth = Math.max(left.depth, rightInput.depth) + 1;
  env.checkDepth(depth);
  const layer = newLayer(env.tableAlias(), { join: { type: JOIN_TYPES[kind], left: l, right: r, on } });
  const mapSide = kind === 'rightanti' || kind === 'rightsemi' ? rightInput : left;
  return { layer, scope: { columns, mapKeys: keepsMap(columns, mapSide.scope) }, ordered: false, depth };
}

/** KQL's type name of a value type, for union's renamed columns and getschema. */
function kqlTypeName(column: { type: ValueType; kqlType?: string }): string {
  if (column.kqlType) {
    return column.kqlType === 'datetime' ? 'datetime' : column.kqlType;
  }
  return {
    string: 'string',
    number: 'real',
    time: 'datetime',
    bool: 'bool',
    timespan: 'timespan',
    array: 'dynamic',
    map: 'dynamic',
    null: 'string',
    dynamic: 'dynamic',
  }[column.type];
}

/** The ClickHouse type every member of a union casts a column of this type to. */
function unionType(column: Column): string | undefined {
  switch (column.type) {
    case 'number':
      return 'Nullable(Float64)';
    case 'timespan':
      return 'Nullable(Int64)';
    case 'time':
      return "Nullable(DateTime64(3, 'UTC'))";
    case 'bool':
      return 'Nullable(Bool)';
    case 'array':
      return column.element === 'number'
        ? 'Array(Nullable(Float64))'
        : column.element === 'time'
          ? "Array(DateTime64(3, 'UTC'))"
          : column.element === 'bool'
            ? 'Array(Nullable(Bool))'
            : 'Array(String)';
    case 'map':
      return 'Map(LowCardinality(String), String)';
    default:
      return undefined;
  }
}

function defaultOf(column: Column): string {
  const type = unionType(column);
  if (!type) {
    return `''`;
  }
  if (column.type === 'array') {
    return `CAST([] AS ${type})`;
  }
  if (column.type === 'map') {
    return `CAST(map() AS ${type})`;
  }
  return `CAST(NULL AS ${type})`;
}

/**
 * Rows of several tables, one after the other: every column of any member (kind=inner: of all),
 * missing ones null; a name with different types in different members becomes one column per
 * type (`x_string`, `x_real`). withsource= adds a column naming each row's member.
 */
export function union(env: StageEnv, members: Array<{ state: State; name: string }>, options: UnionOptions, span?: Span): State {
  const byName = new Map<string, Set<string>>();
  for (const { state } of members) {
    for (const column of state.scope.columns.filter((c) => !c.hidden)) {
      const types = byName.get(column.name) ?? new Set<string>();
      types.add(kqlTypeName(column));
      byName.set(column.name, types);
    }
  }
  /** Output name of a member's column. */
  const outName = (column: Column) => ((byName.get(column.name)?.size ?? 1) > 1 ? `${column.name}_${kqlTypeName(column)}` : column.name);
  const order: Column[] = [];
  const seen = new Set<string>();
  for (const { state } of members) {
    for (const column of state.scope.columns.filter((c) => !c.hidden)) {
      const name = outName(column);
      if (!seen.has(name)) {
        seen.add(name);
        order.push({ ...column, name });
      }
    }
  }
  let columns = order;
  if (options.kind === 'inner') {
    columns = order.filter((c) => members.every(({ state }) => state.scope.columns.some((m) => !m.hidden && outName(m) === c.name)));
  }
  if (columns.length === 0) {
    throw new QueryError('union kind=inner keeps the columns every table has, and these tables have none in common', span);
  }
  if (options.withSource) {
    checkName(options.withSource, span);
    columns = [{ name: options.withSource, type: 'string', sql: '' }, ...columns.filter((c) => c.name !== options.withSource)];
  }
  checkColumnCount(columns.length, span ?? { offset: 0, length: 0 });
  const alias = env.tableAlias();
  const parts = members.map(({ state, name }) => {
    const projected: Column[] = columns.map((column) => {
      if (options.withSource && column.name === options.withSource) {
        return { name: column.name, type: 'string', sql: env.params.add('String', name) };
      }
      const own = state.scope.columns.find((m) => !m.hidden && outName(m) === column.name);
      const type = unionType(column);
      const sql = own ? (type ? `CAST(${own.sql} AS ${type})` : own.sql) : defaultOf(column);
      return { name: column.name, type: column.type, sql };
    });
    unordered(state.layer);
    env.close({ ...state, scope: { ...state.scope, columns: projected } });
    return { layer: state.layer, columns: projected };
  });
  const depth = Math.max(...members.map((m) => m.state.depth)) + 1;
  env.checkDepth(depth);
  const layer = newLayer(alias, { union: parts });
  const outColumns: Column[] = columns.map((c) => ({
    name: c.name,
    type: c.type,
    element: c.element,
    json: c.json,
    kqlType: c.kqlType,
    sql: `${alias}.${quoteIdent(c.name)}`,
    nullable: c.type !== 'string' && c.type !== 'dynamic',
    timeKey: c.timeKey && c.type === 'time',
  }));
  const keys =
    members.every(({ state }) => state.scope.mapKeys) && outColumns.some((c) => c.name === 'fields' && c.type === 'map')
      ? new Set(members.flatMap(({ state }) => [...(state.scope.mapKeys ?? [])]))
      : null;
  return { layer, scope: { columns: outColumns, mapKeys: keys }, ordered: false, depth };
}

export function unionSource(env: StageEnv, options: UnionOptions, members: Pipeline[], span: Span): State {
  return union(
    env,
    members.map((m, i) => ({ state: env.subPipeline(m), name: memberName(m, i) })),
    options,
    span
  );
}

const DATATABLE_TYPES: Record<string, { type: ValueType; sql: string }> = {
  string: { type: 'string', sql: 'String' },
  guid: { type: 'string', sql: 'String' },
  int: { type: 'number', sql: 'Nullable(Int64)' },
  long: { type: 'number', sql: 'Nullable(Int64)' },
  real: { type: 'number', sql: 'Nullable(Float64)' },
  double: { type: 'number', sql: 'Nullable(Float64)' },
  decimal: { type: 'number', sql: 'Nullable(Float64)' },
  bool: { type: 'bool', sql: 'Nullable(Bool)' },
  boolean: { type: 'bool', sql: 'Nullable(Bool)' },
  datetime: { type: 'time', sql: "Nullable(DateTime64(3, 'UTC'))" },
  date: { type: 'time', sql: "Nullable(DateTime64(3, 'UTC'))" },
  timespan: { type: 'timespan', sql: 'Nullable(Int64)' },
  time: { type: 'timespan', sql: 'Nullable(Int64)' },
  dynamic: { type: 'dynamic', sql: 'String' },
};

function datatableType(column: { type: string; span: Span }) {
  const type = DATATABLE_TYPES[column.type];
  if (!type) {
    throw new QueryError(`unknown type "${column.type}"`, column.span, Object.keys(DATATABLE_TYPES));
  }
  return type;
}

/** A value of a datatable cell, converted to the column's type. */
function cell(env: StageEnv, expr: Expr, type: ValueType): string {
  const ctx = env.ctx({ columns: [], mapKeys: null }, 'constant');
  const value = compileExpr(expr, ctx);
  if (value.type === 'null') {
    return type === 'string' || type === 'dynamic' ? `''` : 'NULL';
  }
  switch (type) {
    case 'string':
      if (value.type !== 'string') {
        throw new QueryError(`expected text, got ${describe(value)}`, expr.span);
      }
      return value.sql;
    case 'number':
      return asNumber(value, expr.span);
    case 'time':
      return asTime(value, expr.span, env.params);
    case 'bool':
      if (value.type !== 'bool') {
        throw new QueryError(`expected true or false, got ${describe(value)}`, expr.span);
      }
      return value.sql;
    case 'timespan':
      if (value.type !== 'timespan') {
        throw new QueryError(`expected a timespan, got ${describe(value)}`, expr.span);
      }
      return value.sql;
    default:
      return asDynamic(value, expr.span);
  }
}

/** Rows written out as constants: `arrayJoin([tuple(...), ...])` read as a table. */
function rowsSource(
  env: StageEnv,
  names: Array<{ name: string; span: Span }>,
  types: Array<{ type: ValueType; sql: string }>,
  rows: string[][],
  kqlTypes?: string[]
): State {
  const tuple = `Tuple(${types.map((t, i) => `c${i + 1} ${t.sql}`).join(', ')})`;
  const tuples = rows.map((row) => `CAST(tuple(${row.join(', ')}) AS ${tuple})`);
  const rowsSql = tuples.length === 0 ? `arrayJoin(CAST([] AS Array(${tuple})))` : `arrayJoin([${tuples.join(', ')}])`;
  const alias = env.tableAlias();
  const list = new ColumnList();
  names.forEach((n, i) => {
    list.add(
      { expr: { kind: 'name', path: [n.name], span: n.span }, name: n.name, nameSpan: n.span, span: n.span },
      {
        sql: `tupleElement(${alias}.__row, ${i + 1})`,
        type: types[i].type,
        nullable: types[i].type !== 'string' && types[i].type !== 'dynamic',
      },
      kqlTypes ? { kqlType: kqlTypes[i] } : {}
    );
  });
  const layer = newLayer(alias, { rows: rowsSql });
  return { layer, scope: { columns: list.columns, mapKeys: null }, ordered: false, depth: 1 };
}

export function datatableSource(env: StageEnv, source: Extract<Source, { kind: 'datatable' }>): State {
  const types = source.columns.map(datatableType);
  if (source.values.length % source.columns.length !== 0) {
    throw new QueryError(`datatable has ${source.columns.length} columns but ${source.values.length} values: not whole rows`, source.span);
  }
  const rows: string[][] = [];
  for (let i = 0; i < source.values.length; i += source.columns.length) {
    rows.push(source.columns.map((_, j) => cell(env, source.values[i + j], types[j].type)));
  }
  return rowsSource(
    env,
    source.columns as DatatableColumn[],
    types,
    rows,
    source.columns.map((c) => c.type)
  );
}

/** `print a = 1, now()`: one row of values. */
export function printSource(env: StageEnv, items: Assignment[]): State {
  const ctx = env.ctx({ columns: [], mapKeys: null });
  const list = new ColumnList();
  items.forEach((item, i) => {
    const typed = compileExpr(item.expr, ctx);
    list.add({ ...item, name: item.name ?? (item.expr.kind === 'name' ? undefined : `print_${i}`) }, typed);
  });
  const layer = newLayer(env.tableAlias(), { rows: '0' });
  return { layer, scope: { columns: list.columns, mapKeys: null }, ordered: false, depth: 1 };
}

/** getschema: a row per column of the input, its name, position and type. */
function getschema(env: StageEnv, input: State): State {
  const columns = input.scope.columns.filter((c) => !c.hidden);
  const dataTypes: Record<string, string> = {
    string: 'System.String',
    int: 'System.Int32',
    long: 'System.Int64',
    real: 'System.Double',
    datetime: 'System.DateTime',
    bool: 'System.SByte',
    timespan: 'System.TimeSpan',
    dynamic: 'System.Object',
  };
  const rows = columns.map((c, i) => {
    const type = kqlTypeName(c);
    return [
      env.params.add('String', c.name),
      env.params.add('Int64', i),
      env.params.add('String', dataTypes[type] ?? 'System.Object'),
      env.params.add('String', type),
    ];
  });
  const span = { offset: 0, length: 0 };
  const names = ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'].map((name) => ({ name, span }));
  return rowsSource(env, names, [DATATABLE_TYPES.string, DATATABLE_TYPES.long, DATATABLE_TYPES.string, DATATABLE_TYPES.string], rows);
}

/** The array an mv-expand item expands, and its elements' type. */
function expansion(env: StageEnv, state: State, item: MvItem): { sql: string; element: ValueType; name: string } {
  const typed = compileExpr(item.item.expr, env.ctx(state.scope));
  let array: string;
  let element: ValueType;
  if (typed.type === 'array') {
    array = typed.sql;
    element = typed.element ?? 'string';
  } else if (typed.type === 'dynamic' || (typed.type === 'string' && typed.json)) {
    // An array's elements; a property bag's properties, each a bag of one; any other value, itself.
    const d = typed.sql;
    array = `multiIf(JSONType(${d}) = 'Array', JSONExtractArrayRaw(${d}), JSONType(${d}) = 'Object', arrayMap(__kv -> concat('{', toJSONString(__kv.1), ':', __kv.2, '}'), JSONExtractKeysAndValuesRaw(${d})), ${d} = '', CAST([] AS Array(String)), [${d}])`;
    element = 'dynamic';
  } else if (typed.type === 'string') {
    array = `arrayMap(__e -> if(startsWith(__e, '"'), JSONExtractString(__e), __e), JSONExtractArrayRaw(${typed.sql}))`;
    element = 'string';
  } else {
    throw new QueryError(`mv-expand needs an array or a dynamic value, got ${describe(typed)}`, item.item.expr.span);
  }
  if (item.type) {
    ({ sql: array, element } = typedElements(array, element, item.type, item.item.expr.span));
  }
  const name = item.item.name ?? defaultName(item.item.expr, 1, state.scope);
  checkName(name, item.item.nameSpan);
  return { sql: array, element, name };
}

/** `to typeof(long)`: the expanded elements converted. */
function typedElements(array: string, element: ValueType, type: string, span: Span): { sql: string; element: ValueType } {
  const text = element === 'dynamic' ? dynamicText('__v') : element === 'string' ? '__v' : 'toString(__v)';
  switch (type) {
    case 'string':
      return { sql: `arrayMap(__v -> ${text}, ${array})`, element: 'string' };
    case 'int':
    case 'long':
      return { sql: `arrayMap(__v -> toInt64OrNull(${text}), ${array})`, element: 'number' };
    case 'real':
    case 'double':
      return { sql: `arrayMap(__v -> toFloat64OrNull(${text}), ${array})`, element: 'number' };
    case 'bool':
    case 'boolean':
      return {
        sql: `arrayMap(__v -> multiIf(lowerUTF8(${text}) = 'true', true, lowerUTF8(${text}) = 'false', false, NULL), ${array})`,
        element: 'bool',
      };
    case 'datetime':
      return { sql: `arrayMap(__v -> parseDateTime64BestEffortOrNull(${text}, 3, 'UTC'), ${array})`, element: 'time' };
    case 'dynamic':
      return { sql: array, element };
    default:
      throw new QueryError(`unknown type "${type}"`, span, ['string', 'long', 'real', 'bool', 'datetime', 'dynamic']);
  }
}

/** One row per element of an array (several arrays side by side, the shorter ones padded), or of a dynamic value. */
export function mvExpand(env: StageEnv, state: State, items: MvItem[], limit?: Expr): State {
  const arrays = items.map((item) => expansion(env, state, item));
  let cap: string | undefined;
  if (limit) {
    const value = constantOf(limit, env.ctx(state.scope));
    if (value?.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0 || value.value > MAX_TAKE) {
      throw new QueryError(`expected a whole number from 0 to ${MAX_TAKE}`, limit.span);
    }
    cap = env.params.add('UInt64', value.value);
  }
  const longest = arrays.length > 1 ? `greatest(${arrays.map((a) => `length(${a.sql})`).join(', ')})` : undefined;
  const joins = arrays.map((a) => {
    let sql = longest ? `arrayResize(${a.sql}, ${longest})` : a.sql;
    if (cap) {
      sql = `arraySlice(${sql}, 1, ${cap})`;
    }
    return { sql, alias: env.arrayJoinAlias() };
  });
  state.layer.arrayJoin = { ...joins[0], more: joins.slice(1) };
  let scope = state.scope;
  arrays.forEach((a, i) => {
    scope = withColumn(scope, {
      name: a.name,
      type: a.element,
      sql: joins[i].alias,
      nullable: a.element !== 'string' && a.element !== 'dynamic',
    });
  });
  checkColumnCount(scope.columns.length, items[0].item.span);
  return { ...state, scope };
}

/**
 * `mv-apply x = arr on (subquery)`: for each row, the subquery runs over the row's elements; its
 * rows come out beside the row's other columns. The row gets an id; the other columns ride along
 * hidden (the subquery sees only the expanded ones); take and top keep that many per row.
 */
function mvApply(env: StageEnv, input: State, items: MvItem[], stages: Stage[]): State {
  let state = ready(env, input, 'project');
  state = {
    ...state,
    scope: {
      ...state.scope,
      columns: [...state.scope.columns, { name: '__rid', type: 'number', sql: 'rowNumberInAllBlocks()', hidden: true, key: true }],
    },
  };
  state = env.wrap(state);
  state = mvExpand(env, state, items);
  const expanded = new Set(items.map((i) => i.item.name ?? defaultName(i.item.expr, 1, input.scope)));
  const passengers = new Set<string>();
  state = {
    ...state,
    scope: {
      ...state.scope,
      columns: state.scope.columns.map((c) => {
        if (c.hidden || expanded.has(c.name)) {
          return c;
        }
        passengers.add(c.name);
        return { ...c, hidden: true };
      }),
    },
  };
  const rid = () => (state.scope.columns.find((c) => c.name === '__rid') as Column).sql;
  for (const stage of stages) {
    switch (stage.kind) {
      case 'take':
      case 'top': {
        state = ready(env, state, stage.kind === 'top' ? 'sort' : 'limit');
        const count = constantOf(stage.count, env.ctx(state.scope));
        if (count?.kind !== 'number' || !Number.isInteger(count.value) || count.value < 0 || count.value > MAX_TAKE) {
          throw new QueryError(`expected a whole number of rows from 0 to ${MAX_TAKE}`, stage.count.span, ['a number']);
        }
        if (stage.kind === 'top') {
          state = compileStage(env, state, { kind: 'sort', terms: [stage.term], span: stage.span });
        }
        state.layer.limitBy = { count: env.params.add('UInt64', count.value), by: [rid()] };
        break;
      }
      case 'where':
      case 'extend':
      case 'project':
      case 'project-away':
      case 'project-rename':
      case 'project-keep':
      case 'summarize':
      case 'sort':
      case 'parse':
      case 'mv-expand':
        state = compileStage(env, state, stage);
        break;
      default:
        throw new QueryError(`${stage.kind} is not supported inside mv-apply`, stage.span, ['where', 'extend', 'project', 'summarize', 'take', 'top', 'sort']);
    }
  }
  // The row's columns come back first, then the subquery's; a subquery column of the same name wins.
  const inner = state.scope.columns.filter((c) => !c.hidden);
  const innerNames = new Set(inner.map((c) => c.name));
  const outer = state.scope.columns.filter((c) => c.hidden && passengers.has(c.name) && !innerNames.has(c.name)).map((c) => ({ ...c, hidden: false }));
  // The row id is no longer needed (take and top refer to it by its SQL), and a later mv-apply makes its own.
  const hidden = state.scope.columns.filter((c) => c.hidden && !passengers.has(c.name) && c.name !== '__rid');
  return { ...state, scope: { columns: [...outer, ...inner, ...hidden], mapKeys: state.scope.mapKeys } };
}

const MAX_SERIES_POINTS = 100_000;

/** Columns in the order project-reorder asks: as they are, or by name (granny: numbers by value). */
function sortedNames(columns: Column[], order: NamePattern['order']): Column[] {
  if (!order) {
    return columns;
  }
  const numeric = order.startsWith('granny');
  const sorted = [...columns].sort((a, b) =>
    numeric ? a.name.localeCompare(b.name, 'en', { numeric: true }) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
  return order.endsWith('desc') ? sorted.reverse() : sorted;
}

/**
 * make-series: per group, each aggregate as an array over the time axis from `from` to `to` in
 * steps (the request's range when not given), `default` (0) where a step has no rows; the axis
 * is a column of its own, named as the `on` expression.
 */
function makeSeries(env: StageEnv, input: State, stage: Extract<Stage, { kind: 'make-series' }>): State {
  let state = ready(env, input, 'aggregate');
  const rowCtx = env.ctx(state.scope);
  const time = compileExpr(stage.on.expr, rowCtx);
  if (time.type !== 'time') {
    throw new QueryError(`make-series runs over a time, got ${describe(time)}`, stage.on.expr.span);
  }
  const axisName = stage.on.name ?? defaultName(stage.on.expr, 1, input.scope);
  const step = compileExpr(stage.step, rowCtx);
  if (step.constant?.kind !== 'timespan' || step.constant.millis <= 0) {
    throw new QueryError('make-series needs a positive timespan step such as 1h or $__interval', stage.step.span);
  }
  const bounds = env.timeBounds();
  const from = stage.from ? asTime(compileExpr(stage.from, rowCtx), stage.from.span, env.params) : bounds.from;
  const to = stage.to ? asTime(compileExpr(stage.to, rowCtx), stage.to.span, env.params) : bounds.to;
  if (!stage.from && !stage.to && (bounds.toMs - bounds.fromMs) / step.constant.millis > MAX_SERIES_POINTS) {
    throw new QueryError(`make-series would make more than ${MAX_SERIES_POINTS} points in this time range: use a larger step`, stage.step.span);
  }
  const stepSql = step.sql;
  const fromMs = `toUnixTimestamp64Milli(${from})`;
  const bucket = `intDiv(toUnixTimestamp64Milli(${time.sql}) - ${fromMs}, ${stepSql})`;
  state.layer.where.push(`${time.sql} >= ${from}`, `${time.sql} < ${to}`);
  const keys = new ColumnList(state.scope);
  const groupBy: string[] = [];
  for (const item of stage.by) {
    const typed = compileExpr(item.expr, rowCtx);
    keys.add(item, typed, { key: true });
    groupBy.push(typed.sql);
  }
  const aggCtx = env.ctx(state.scope, 'aggregate');
  const values: Array<{ name: string; sql: string; fallback: string; span: Span }> = [];
  const names = new ColumnList();
  stage.aggregates.forEach(({ item, fallback }, i) => {
    const typed = compileExpr(item.expr, aggCtx);
    if (typed.type !== 'number') {
      throw new QueryError(`make-series aggregates numbers, got ${describe(typed)}`, item.expr.span);
    }
    names.add(item, typed);
    const def = fallback ? compileExpr(fallback, env.ctx({ columns: [], mapKeys: null }, 'constant')) : undefined;
    if (def && def.type !== 'number' && def.type !== 'null') {
      throw new QueryError(`the default of a series is a number, got ${describe(def)}`, fallback?.span);
    }
    values.push({ name: `__v${i}`, sql: typed.sql, fallback: def ? def.sql : '0', span: item.span });
  });
  state.layer.groupBy = [...groupBy, bucket];
  state.layer.orderBy = [];
  const inner: Column[] = [
    ...keys.columns,
    { name: '__b', type: 'number', sql: bucket },
    { name: '__from', type: 'time', sql: `any(${from})` },
    { name: '__to', type: 'time', sql: `any(${to})` },
    ...values.map((v) => ({ name: v.name, type: 'number' as const, sql: v.sql })),
  ];
  state = env.wrap({ ...state, scope: { columns: inner, mapKeys: null } });
  const ref = (name: string) => (state.scope.columns.find((c) => c.name === name) as Column).sql;
  const count = `least(toUInt64(greatest(0, ceil((toUnixTimestamp64Milli(any(${ref('__to')})) - toUnixTimestamp64Milli(any(${ref('__from')}))) / ${stepSql}))), ${env.params.add('UInt64', MAX_SERIES_POINTS)})`;
  const positions = `arrayMap(__k -> indexOf(groupArray(${ref('__b')}), __k), range(${count}))`;
  const series: Column[] = names.columns.map((c, i) => ({
    name: c.name,
    type: 'array',
    element: 'number',
    sql: `arrayMap(__p -> if(__p = 0, toFloat64(${values[i].fallback}), toFloat64(arrayElement(groupArray(${ref(values[i].name)}), __p))), ${positions})`,
  }));
  const axis: Column = {
    name: axisName,
    type: 'array',
    element: 'time',
    sql: `arrayMap(__k -> any(${ref('__from')}) + toIntervalMillisecond(__k * ${stepSql}), range(${count}))`,
  };
  const keyColumns = keys.columns.map((c) => ({ ...c, sql: ref(c.name) }));
  state.layer.groupBy = keyColumns.map((c) => c.sql);
  const clash = [...keyColumns, ...series].find((c) => c.name === axisName);
  if (clash) {
    throw new QueryError(
      `make-series makes two columns named ${axisName}: the time axis and a ${keyColumns.includes(clash) ? 'key' : 'series'}; name one (on T = ${axisName})`,
      stage.on.expr.span
    );
  }
  const columns = [...keyColumns, ...series, axis];
  if (columns.length > MAX_COLUMNS) {
    throw new QueryError(`the query makes more than ${MAX_COLUMNS} columns (the limit)`, stage.span);
  }
  checkName(axisName, stage.on.nameSpan);
  // The series are long expressions: later stages read them by name from a SELECT of their own.
  return env.wrap({ ...state, scope: { columns, mapKeys: null }, ordered: false });
}

/**
 * top-nested: the top n values of the first expression by its aggregate, within each of them the
 * top m of the second by its aggregate, and so on. Each level is the input grouped by the keys so
 * far and ranked within its parent (row_number over the parent's keys); the levels are joined on
 * those keys.
 */
function topNested(env: StageEnv, input: State, stage: Extract<Stage, { kind: 'top-nested' }>): State {
  const base = ready(env, input, 'aggregate');
  env.close(base);
  const baseColumns = base.scope.columns;
  let result: State | undefined;
  const keyNames: string[] = [];
  const outputOrder: string[] = [];
  stage.levels.forEach((level, i) => {
    const count = constantOf(level.count, env.ctx(base.scope));
    if (count?.kind !== 'number' || !Number.isInteger(count.value) || count.value < 1 || count.value > MAX_TAKE) {
      throw new QueryError(`expected a whole number from 1 to ${MAX_TAKE}`, level.count.span, ['a number']);
    }
    const alias = env.tableAlias();
    const scope: Scope = {
      columns: baseColumns.map((c) => ({ ...c, sql: `${alias}.${quoteIdent(c.name)}` })),
      mapKeys: base.scope.mapKeys,
    };
    const layer: Layer = newLayer(alias, { layer: base.layer, columns: baseColumns });
    const rowCtx = env.ctx(scope);
    const parentKeys: string[] = [];
    const list = new ColumnList();
    // Keys of the levels above, by the names they got there.
    stage.levels.slice(0, i).forEach((above, j) => {
      const typed = compileExpr(above.of.expr, rowCtx);
      list.add({ expr: above.of.expr, name: keyNames[j], span: above.of.span }, typed, { key: true });
      parentKeys.push(typed.sql);
    });
    const keyTyped = compileExpr(level.of.expr, rowCtx);
    const keyName = level.of.name ?? defaultName(level.of.expr, i + 1, base.scope);
    list.add({ ...level.of, name: keyName }, keyTyped, { key: true });
    const aggregate = compileExpr(level.by.expr, env.ctx(scope, 'aggregate'));
    if (aggregate.type !== 'number') {
      throw new QueryError(`top-nested ranks by a number, got ${describe(aggregate)}`, level.by.expr.span);
    }
    const aggName = level.by.name ?? `aggregated_${keyName}`;
    list.add({ ...level.by, name: aggName }, aggregate);
    const partition = parentKeys.length > 0 ? `PARTITION BY ${parentKeys.join(', ')} ` : '';
    const rankColumn: Column = {
      name: '__rank',
      sql: `row_number() OVER (${partition}ORDER BY ${aggregate.sql} DESC)`,
      type: 'number',
    };
    layer.groupBy = [...parentKeys, keyTyped.sql];
    let levelState: State = {
      layer,
      scope: { columns: [...list.columns, rankColumn], mapKeys: null },
      ordered: false,
      depth: base.depth + 1,
    };
    levelState = env.wrap(levelState);
    const rank = levelState.scope.columns.find((c) => c.name === '__rank') as Column;
    levelState.layer.where.push(`${rank.sql} <= ${env.params.add('UInt64', count.value)}`);
    levelState = {
      ...levelState,
      scope: { ...levelState.scope, columns: levelState.scope.columns.filter((c) => c.name !== '__rank') },
    };
    keyNames.push(keyName);
    outputOrder.push(keyName, aggName);
    if (!result) {
      result = levelState;
      return;
    }
    const parentNames = keyNames.slice(0, i);
    const keys: JoinKey[] = parentNames.map((name) => ({
      left: { name, span: level.span },
      right: { name, span: level.span },
      span: level.span,
    }));
    const kept = { ...levelState, scope: { ...levelState.scope, columns: levelState.scope.columns } };
    const joined = join(env, result, 'inner', kept, keys, true);
    result = joined;
  });
  const final = result as State;
  const columns = outputOrder.map((name) => final.scope.columns.find((c) => c.name === name) as Column);
  const ordered = { ...final, scope: { columns, mapKeys: null } };
  const aggregates = outputOrder.filter((_, i) => i % 2 === 1).map((name) => `${(columns.find((c) => c.name === name) as Column).sql} DESC`);
  ordered.layer.orderBy = aggregates;
  return { ...ordered, ordered: true };
}
