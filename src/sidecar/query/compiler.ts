import type { Let, Pipeline, Query, Source, Stage } from './ast';
import type { Column, ExprContext, ExprMode, FunctionDef, LetValue, QueryHooks, Scope, VariableValue } from './context';
import { bindArguments } from './dynamic';
import { closeMatches, didYouMean, QueryError, UnknownFieldError, type Span } from './errors';
import { compileExpr, constantOf, expressions } from './expressions';
import { layerLength, newLayer, renderLayer, wrap, type State } from './layers';
import { MAX_EXPANDED_NODES, MAX_SQL_BYTES, MAX_SUBQUERIES, sqlTooLong, tooManySubqueries } from './limits';
import { Params } from './params';
import { parseQuery } from './parser';
import { columnTyped } from './sentinel/mapping';
import { sentinelTable } from './sentinel/tables';
import { ALL_TABLE_NAMES } from './sources';
import { compileStage, implicitOrder, type StageEnv } from './stages';
import { RELATIONS, type Relation } from './detectionsTable';
import { datatableSource, printSource, unionSource } from './tabular';
import { COMMON_COLUMNS, tableByName, type ValueType } from './tables';
import { clickHouseTime, TIME_PARAM } from './time';

/** The keys of the `fields` map per log type (null: every type), as the field catalog knows them. */
export interface FieldKeys {
  keysFor(logType: string | null): ReadonlySet<string>;
}

export interface CompileOptions {
  /** The request's time range, ms since the epoch; always applied. */
  from: number;
  to: number;
  /** Rows the caller wants at most; the SQL asks for one more to tell when it cut. */
  maxRows: number;
  intervalMs?: number;
  variables?: Record<string, VariableValue>;
  fields: FieldKeys;
}

export interface CompiledQuery {
  sql: string;
  params: Record<string, unknown>;
  columns: Array<{ name: string; type: ValueType; element?: ValueType }>;
  /** Log types the query reads; null when it reads them all (`events`). */
  logTypes: string[] | null;
  /** The visualization a `render` stage asked for. */
  render?: string;
}

/** Parses and compiles a query to parameterised ClickHouse SQL. Throws QueryError. */
export function compileQuery(text: string, options: CompileOptions): CompiledQuery {
  return compileAst(parseQuery(text), options);
}

export function compileAst(query: Query, options: CompileOptions): CompiledQuery {
  return new QueryCompiler(options).compile(query);
}

/** A name bound to a pipeline: a tabular `let`, or the rows before an `as`. */
interface TabularDef {
  pipeline: Pipeline;
  env: Env;
  nodes: number;
}

/** What names mean where a pipeline is compiled: lets, functions and tables bound so far. */
export interface Env {
  lets: ReadonlyMap<string, LetValue>;
  functions: ReadonlyMap<string, FunctionDef>;
  tabular: ReadonlyMap<string, TabularDef>;
  /** Tabular names being expanded, to refuse a name that refers to itself. */
  using: ReadonlySet<string>;
}

const EMPTY_ENV: Env = { lets: new Map(), functions: new Map(), tabular: new Map(), using: new Set() };

class QueryCompiler implements StageEnv, QueryHooks {
  readonly params = new Params();
  private tables = 0;
  private arrays = 0;
  /** Characters of SQL in the layers closed so far. */
  private closedLength = 0;
  /** Nodes compiled again for each use of a function or tabular let. */
  private expanded = 0;
  /** The stage being compiled, for errors about limits it reaches. */
  private stage: Stage | undefined;
  /** Names bound where the stage being compiled is. */
  private env: Env = EMPTY_ENV;
  private render: string | undefined;
  /** SELECTs around the pipeline being compiled: those a table used as a list (`x in (T | …)`) sits in. */
  private enclosing = 0;
  /** Depth of the layer the current stage reads, for the subqueries its expressions hold. */
  private current = 0;
  private readonly logTypes = new Set<string | null>();
  private readonly timeRange: { from: string; to: string };

  constructor(private readonly options: CompileOptions) {
    if (!(options.from < options.to)) {
      throw new QueryError(`the time range is empty: from (${new Date(options.from).toISOString()}) must be before to (${new Date(options.to).toISOString()})`);
    }
    this.timeRange = {
      from: this.params.named('from', TIME_PARAM, clickHouseTime(options.from)),
      to: this.params.named('to', TIME_PARAM, clickHouseTime(options.to)),
    };
  }

  compile(query: Query): CompiledQuery {
    try {
      return this.compileQuery(query);
    } catch (err) {
      if (err instanceof UnknownFieldError) {
        // The field may be in logs of those types not loaded yet (query/service.ts).
        err.logTypes ??= this.queriedLogTypes();
      }
      throw err;
    }
  }

  private queriedLogTypes(): string[] | null {
    return this.logTypes.has(null) ? null : [...this.logTypes].filter((t): t is string => t !== null);
  }

  private compileQuery(query: Query): CompiledQuery {
    const env = this.statements(query.lets, EMPTY_ENV);
    const state = this.pipeline(query.pipeline, env);
    implicitOrder(state);
    const maxRows = this.params.named('max_rows', 'UInt64', this.options.maxRows + 1);
    state.layer.limit = state.layer.limit ? `least(${state.layer.limit}, ${maxRows})` : maxRows;
    const sql = renderLayer(state.layer, state.scope.columns, true);
    if (Buffer.byteLength(sql) > MAX_SQL_BYTES) {
      throw sqlTooLong(undefined);
    }
    return {
      sql,
      params: this.params.values,
      columns: state.scope.columns.filter((c) => !c.hidden).map((c: Column) => ({ name: c.name, type: c.type, ...(c.element ? { element: c.element } : {}) })),
      logTypes: this.queriedLogTypes(),
      ...(this.render ? { render: this.render } : {}),
    };
  }

  /** Binds `let` statements in order; each sees the ones before it. */
  private statements(lets: Let[], outer: Env): Env {
    const scalars = new Map(outer.lets);
    const functions = new Map(outer.functions);
    const tabular = new Map(outer.tabular);
    const env: Env = { lets: scalars, functions, tabular, using: outer.using };
    const defined = new Set<string>();
    for (const statement of lets) {
      const name = statement.name;
      if (defined.has(name) || ALL_TABLE_NAMES.includes(name)) {
        throw new QueryError(`"${name}" is already defined`, statement.nameSpan);
      }
      defined.add(name);
      scalars.delete(name);
      functions.delete(name);
      tabular.delete(name);
      const value = statement.value;
      if (value.kind === 'tabular') {
        tabular.set(name, {
          pipeline: value.pipeline,
          env: { ...env, lets: new Map(scalars), functions: new Map(functions), tabular: new Map(tabular) },
          nodes: statement.nodes,
        });
      } else if (value.kind === 'function') {
        const closure = { lets: new Map(scalars), functions: new Map(functions) };
        functions.set(name, {
          name,
          params: value.params,
          lets: value.lets,
          body: value.body,
          nodes: statement.nodes,
          closure,
          span: statement.span,
        });
        if (value.body.kind === 'tabular') {
          tabular.delete(name);
        }
      } else {
        // Compiled once: a use of the name reuses the SQL (and its parameters), never the text.
        const saved = this.env;
        this.env = env;
        try {
          const ctx = this.ctx({ columns: [], mapKeys: null }, 'constant');
          const typed = compileExpr(value.expr, ctx);
          scalars.set(name, { typed, constant: constantOf(value.expr, ctx) ?? typed.constant, span: statement.span });
        } finally {
          this.env = saved;
        }
      }
    }
    return env;
  }

  ctx(scope: Scope, mode: ExprMode = 'row'): ExprContext {
    return {
      scope,
      params: this.params,
      mode,
      lets: this.env.lets,
      variables: this.options.variables ?? {},
      intervalMs: this.options.intervalMs,
      timeRange: this.timeRange,
      functions: this.env.functions,
      hooks: this,
    };
  }

  /** Closes the current layer and starts a new one over it. */
  wrap(state: State): State {
    this.close(state);
    const wrapped = wrap(state, this.tableAlias());
    this.checkDepth(wrapped.depth);
    return wrapped;
  }

  /** Counts a layer another one will read against the SQL limit. */
  close(state: State): void {
    this.closedLength += layerLength(state.layer, state.scope.columns);
    if (this.closedLength > MAX_SQL_BYTES) {
      throw sqlTooLong(this.stage?.span);
    }
  }

  checkDepth(depth: number): void {
    if (depth + this.enclosing > MAX_SUBQUERIES) {
      throw tooManySubqueries(this.stage?.span);
    }
  }

  arrayJoinAlias(): string {
    return `__a${++this.arrays}`;
  }

  tableAlias(): string {
    return `__t${this.tables++}`;
  }

  setRender(visualization: string): void {
    this.render = visualization;
  }

  timeBounds(): { from: string; to: string; fromMs: number; toMs: number } {
    return { ...this.timeRange, fromMs: this.options.from, toMs: this.options.to };
  }

  /** A pipeline named or written inside a stage (join, union, lookup), with the names bound where the stage is. */
  subPipeline(pipeline: Pipeline): State {
    return this.pipeline(pipeline, this.env);
  }

  expand(nodes: number, span: Span): void {
    this.expanded += Math.max(nodes, 1);
    if (this.expanded > MAX_EXPANDED_NODES) {
      throw new QueryError(
        `the query expands to more than ${MAX_EXPANDED_NODES} values, names and operators (the limit): its functions and tabular lets are used too often`,
        span
      );
    }
  }

  subquery(pipeline: Pipeline, ctx: ExprContext): { sql: string; name: string; type: ValueType; element?: ValueType } {
    void ctx;
    const saved = { enclosing: this.enclosing, current: this.current };
    this.enclosing += this.current + 1;
    let state: State;
    try {
      state = this.pipeline(pipeline, this.env);
    } finally {
      this.enclosing = saved.enclosing;
      this.current = saved.current;
    }
    const visible = state.scope.columns.filter((c) => !c.hidden);
    if (visible.length !== 1) {
      throw new QueryError(`a table used as a list must have one column, this one has ${visible.length}: add | project column`, pipeline.span);
    }
    this.enclosing += this.current + 1;
    try {
      this.checkDepth(state.depth);
    } finally {
      this.enclosing = saved.enclosing;
    }
    const sql = renderLayer(state.layer, visible);
    this.closedLength += sql.length;
    if (this.closedLength > MAX_SQL_BYTES) {
      throw sqlTooLong(pipeline.span);
    }
    return { sql, name: visible[0].name, type: visible[0].type, element: visible[0].element };
  }

  private pipeline(pipeline: Pipeline, env: Env): State {
    const saved = this.env;
    const current = this.current;
    this.env = env;
    try {
      let state = this.source(pipeline.source);
      pipeline.stages.forEach((stage, i) => {
        this.stage = stage;
        if (stage.kind === 'render' && i !== pipeline.stages.length - 1) {
          throw new QueryError('render must be the last stage', stage.span);
        }
        if (stage.kind === 'as') {
          const tabular = new Map(this.env.tabular);
          tabular.set(stage.name, {
            pipeline: { ...pipeline, stages: pipeline.stages.slice(0, i) },
            env: this.env,
            nodes: 1,
          });
          this.env = { ...this.env, tabular };
          return;
        }
        this.current = state.depth;
        state = compileStage(this, state, stage);
        if (this.closedLength + layerLength(state.layer, state.scope.columns) > MAX_SQL_BYTES) {
          throw sqlTooLong(stage.span);
        }
      });
      return state;
    } finally {
      this.env = saved;
      this.current = current;
    }
  }

  /** The rows a pipeline starts from. */
  private source(source: Source): State {
    switch (source.kind) {
      case 'table':
        return this.table(source.name, source.span);
      case 'call':
        return this.tabularCall(source);
      case 'pipeline':
        return this.pipeline(source.pipeline, this.env);
      case 'datatable':
        return datatableSource(this, source);
      case 'union':
        return unionSource(this, source.options, source.members, source.span);
      case 'print':
        return printSource(this, source.items);
    }
  }

  /** The rows of a table in the time range (of its log type), of a Sentinel table, or of a tabular let. */
  private table(name: string, span: Span): State {
    const bound = this.env.tabular.get(name);
    if (bound) {
      if (this.env.using.has(name)) {
        throw new QueryError(`"${name}" refers to itself`, span);
      }
      this.expand(bound.nodes, span);
      return this.pipeline(bound.pipeline, { ...bound.env, using: new Set([...this.env.using, name]) });
    }
    const relation = RELATIONS.find((r) => r.name === name);
    if (relation) {
      return this.relation(relation);
    }
    const fn = this.env.functions.get(name);
    if (fn) {
      throw new QueryError(`${name} is a function: call it, ${name}(...)`, span);
    }
    const sentinel = sentinelTable(name);
    const table = tableByName(name);
    if (!table && !sentinel) {
      const known = [...ALL_TABLE_NAMES, ...this.env.tabular.keys()];
      throw new QueryError(`unknown table "${name}"${didYouMean(closeMatches(name, known))}`, span, known);
    }
    const logType = sentinel ? sentinel.logType : (table?.logType ?? null);
    const alias = this.tableAlias();
    const layer = newLayer(alias, 'events');
    layer.where.push(`${alias}.time >= ${this.timeRange.from}`, `${alias}.time < ${this.timeRange.to}`);
    if (logType) {
      layer.where.push(`${alias}.log_type = ${this.params.add('String', logType)}`);
    }
    this.logTypes.add(logType);
    if (sentinel) {
      const columns: Column[] = sentinel.columns.map((c) => {
        const typed = columnTyped(c, alias, this.params);
        return {
          name: c.name,
          type: typed.type,
          sql: typed.sql,
          nullable: typed.nullable,
          json: typed.json,
          jsonPath: typed.jsonPath,
          timeKey: c.name === 'TimeGenerated',
          kqlType: c.type,
        };
      });
      return { layer, scope: { columns, mapKeys: null }, ordered: false, depth: 0 };
    }
    const columns: Column[] = COMMON_COLUMNS.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      sql: `${alias}.${c.column}`,
      raw: c.name === 'raw',
      timeKey: c.name === 'time',
    }));
    return { layer, scope: { columns, mapKeys: this.options.fields.keysFor(logType) }, ordered: false, depth: 0 };
  }

  /** `f(args)` where f's body is a pipeline: its parameters bound to the arguments, its lets, then its pipeline. */
  private tabularCall(source: Extract<Source, { kind: 'call' }>): State {
    const def = this.env.functions.get(source.name);
    if (!def) {
      if (this.env.tabular.has(source.name) || ALL_TABLE_NAMES.includes(source.name)) {
        throw new QueryError(`${source.name} is a table, not a function: write it without ()`, source.span);
      }
      const known = [...this.env.functions.keys()].filter((n) => this.env.functions.get(n)?.body.kind === 'tabular');
      throw new QueryError(
        `unknown table or function "${source.name}"${didYouMean(closeMatches(source.name, [...known, ...ALL_TABLE_NAMES]))}`,
        source.span,
        known
      );
    }
    if (def.body.kind !== 'tabular') {
      throw new QueryError(`${def.name}() returns a value, not a table`, source.span);
    }
    if (this.env.using.has(def.name)) {
      throw new QueryError(`"${def.name}" refers to itself`, source.span);
    }
    this.expand(def.nodes, source.span);
    const lets = bindArguments(def, { args: source.args, span: source.span }, this.ctx({ columns: [], mapKeys: null }, 'constant'), expressions);
    const base: Env = {
      lets,
      functions: def.closure.functions,
      tabular: this.env.tabular,
      using: new Set([...this.env.using, def.name]),
    };
    const env = this.statements(def.lets, base);
    return this.pipeline(def.body.pipeline, env);
  }

  /** The rows of a table that reads no events (`Detections`) overlapping the time range; its map holds names of event fields. */
  private relation(relation: Relation): State {
    const alias = this.tableAlias();
    const layer = newLayer(alias, relation.from);
    layer.where.push(`${alias}.${relation.end} >= ${this.timeRange.from}`, `${alias}.${relation.start} < ${this.timeRange.to}`);
    const columns: Column[] = relation.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      element: c.element,
      sql: c.sql(alias),
    }));
    return { layer, scope: { columns, mapKeys: this.options.fields.keysFor(null) }, ordered: false, depth: 0 };
  }
}
