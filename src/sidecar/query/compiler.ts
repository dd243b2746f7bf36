import type { Pipeline, Query, Stage } from './ast';
import type { Column, ExprContext, ExprMode, LetValue, Scope, VariableValue } from './context';
import { closeMatches, didYouMean, QueryError, type Span } from './errors';
import { compileExpr, constantOf } from './expressions';
import { layerLength, newLayer, renderLayer, wrap, type State } from './layers';
import { MAX_SQL_BYTES, MAX_SUBQUERIES, sqlTooLong } from './limits';
import { Params } from './params';
import { parseQuery } from './parser';
import { compileStage, implicitOrder, type StageEnv } from './stages';
import { RELATIONS, type Relation } from './detectionsTable';
import { COMMON_COLUMNS, TABLE_NAMES, tableByName, type ValueType } from './tables';
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
  columns: Array<{ name: string; type: ValueType }>;
  /** Log types the query reads; null when it reads them all (`events`). */
  logTypes: string[] | null;
}

/** Parses and compiles a query to parameterised ClickHouse SQL. Throws QueryError. */
export function compileQuery(text: string, options: CompileOptions): CompiledQuery {
  return compileAst(parseQuery(text), options);
}

export function compileAst(query: Query, options: CompileOptions): CompiledQuery {
  return new QueryCompiler(options).compile(query);
}

class QueryCompiler implements StageEnv {
  readonly params = new Params();
  private tables = 0;
  private arrays = 0;
  private subqueries = 0;
  /** Characters of SQL in the layers closed so far. */
  private closedLength = 0;
  /** The stage being compiled, for errors about limits it reaches. */
  private stage: Stage | undefined;
  private readonly lets = new Map<string, LetValue>();
  private readonly tabular = new Map<string, Pipeline>();
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
    for (const statement of query.lets) {
      if (this.lets.has(statement.name) || this.tabular.has(statement.name) || TABLE_NAMES.includes(statement.name)) {
        throw new QueryError(`"${statement.name}" is already defined`, statement.nameSpan);
      }
      if (statement.value.kind === 'tabular') {
        this.tabular.set(statement.name, statement.value.pipeline);
      } else {
        // Compiled once: a use of the name reuses the SQL (and its parameters), never the text.
        const ctx = this.ctx({ columns: [], mapKeys: null }, 'constant');
        const typed = compileExpr(statement.value.expr, ctx);
        this.lets.set(statement.name, { typed, constant: constantOf(statement.value.expr, ctx) ?? typed.constant, span: statement.span });
      }
    }
    const state = this.pipeline(query.pipeline, new Set());
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
      columns: state.scope.columns.map((c: Column) => ({ name: c.name, type: c.type })),
      logTypes: this.logTypes.has(null) ? null : [...this.logTypes].filter((t): t is string => t !== null),
    };
  }

  ctx(scope: Scope, mode: ExprMode = 'row'): ExprContext {
    return {
      scope,
      params: this.params,
      mode,
      lets: this.lets,
      variables: this.options.variables ?? {},
      intervalMs: this.options.intervalMs,
      timeRange: this.timeRange,
    };
  }

  wrap(state: State): State {
    if (++this.subqueries > MAX_SUBQUERIES) {
      throw new QueryError(
        `the query needs more than ${MAX_SUBQUERIES} nested subqueries (the limit): a stage that cannot join the SELECT before it, such as a filter after take or summarize, starts one`,
        this.stage?.span
      );
    }
    this.closedLength += layerLength(state.layer, state.scope.columns);
    return wrap(state, this.tableAlias());
  }

  arrayJoinAlias(): string {
    return `__a${++this.arrays}`;
  }

  private tableAlias(): string {
    return `__t${this.tables++}`;
  }

  private pipeline(pipeline: Pipeline, using: Set<string>): State {
    let state = this.source(pipeline.table, pipeline.tableSpan, using);
    for (const stage of pipeline.stages) {
      this.stage = stage;
      state = compileStage(this, state, stage);
      if (this.closedLength + layerLength(state.layer, state.scope.columns) > MAX_SQL_BYTES) {
        throw sqlTooLong(stage.span);
      }
    }
    return state;
  }

  /** The rows of a table in the time range (of its log type), or of a tabular `let`. */
  private source(name: string, span: Span, using: Set<string>): State {
    const letPipeline = this.tabular.get(name);
    if (letPipeline) {
      if (using.has(name)) {
        throw new QueryError(`"${name}" refers to itself`, span);
      }
      return this.pipeline(letPipeline, new Set([...using, name]));
    }
    const relation = RELATIONS.find((r) => r.name === name);
    if (relation) {
      return this.relation(relation);
    }
    const table = tableByName(name);
    if (!table) {
      const known = [...TABLE_NAMES, ...this.tabular.keys()];
      throw new QueryError(`unknown table "${name}"${didYouMean(closeMatches(name, known))}`, span, known);
    }
    const alias = this.tableAlias();
    const layer = newLayer(alias, 'events');
    layer.where.push(`${alias}.time >= ${this.timeRange.from}`, `${alias}.time < ${this.timeRange.to}`);
    if (table.logType) {
      layer.where.push(`${alias}.log_type = ${this.params.add('String', table.logType)}`);
    }
    this.logTypes.add(table.logType);
    const columns: Column[] = COMMON_COLUMNS.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      sql: `${alias}.${c.column}`,
      raw: c.name === 'raw',
    }));
    return { layer, scope: { columns, mapKeys: this.options.fields.keysFor(table.logType) }, ordered: false };
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
    return { layer, scope: { columns, mapKeys: this.options.fields.keysFor(null) }, ordered: false };
  }
}
