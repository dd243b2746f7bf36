import type { Column, Scope } from './context';
import { quoteIdent } from './sql';

/** A closed layer read by another: its SELECT list is `columns`, its rows aliased `alias`. */
export interface SubLayer {
  layer: Layer;
  columns: Column[];
  alias: string;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'LEFT ANTI' | 'RIGHT ANTI' | 'LEFT SEMI' | 'RIGHT SEMI';

/**
 * Where a layer reads from: a table, the layer before it, two layers joined, layers appended
 * (union), or rows the compiler wrote out (datatable, getschema, print: `rows` selects them as `__row`).
 */
export type LayerSource =
  | string
  | { layer: Layer; columns: Column[] }
  | { join: { type: JoinType; left: SubLayer; right: SubLayer; on: string[] } }
  | { union: Array<{ layer: Layer; columns: Column[] }> }
  | { rows: string };

/**
 * One SELECT. Stages merge into the current layer while SQL's clause order keeps their meaning
 * (a filter after `take` cannot), otherwise the layer becomes the FROM of a new one. Inside a
 * layer every column is its defining expression over the qualified input (`__t1.actor`), so
 * output aliases can never capture a reference.
 */
export interface Layer {
  alias: string;
  from: LayerSource;
  where: string[];
  arrayJoin?: { sql: string; alias: string; left?: boolean; more?: Array<{ sql: string; alias: string }> };
  /** GROUP BY expressions; non-null once the layer aggregates (empty: one group). */
  groupBy: string[] | null;
  distinct: boolean;
  orderBy: string[];
  limit: string | null;
  /** `LIMIT n BY keys`: at most n rows per key (innerunique joins, take inside mv-apply). */
  limitBy?: { count: string; by: string[] };
}

export interface State {
  layer: Layer;
  scope: Scope;
  /** The rows have an order a later stage must keep (sort, top, or the implicit newest-first). */
  ordered: boolean;
  /** SELECTs nested below this one (the deepest side of a join or union). */
  depth: number;
}

export type LayerUse = 'filter' | 'project' | 'aggregate' | 'sort' | 'limit' | 'expand';

/** Whether a stage of this kind can join the layer without changing its meaning. */
export function canMerge(layer: Layer, use: LayerUse): boolean {
  const limited = layer.limit !== null || layer.limitBy !== undefined;
  const aggregated = layer.groupBy !== null;
  switch (use) {
    case 'filter':
    case 'aggregate':
      return !limited && !aggregated && !layer.distinct;
    case 'project':
      return !layer.distinct;
    case 'sort':
      return !limited && !layer.distinct;
    case 'limit':
      return !limited;
    case 'expand':
      return !layer.arrayJoin && layer.where.length === 0 && !aggregated && !layer.distinct && layer.orderBy.length === 0 && !limited;
  }
}

export function newLayer(alias: string, from: Layer['from']): Layer {
  return { alias, from, where: [], groupBy: null, distinct: false, orderBy: [], limit: null };
}

/** The SQL of a layer, the layers it reads from indented below it: rendered once, when the query is done. */
export function renderLayer(layer: Layer, columns: Column[], final = false): string {
  const lines: string[] = [];
  appendLines(lines, layer, columns, final, '');
  return lines.join('\n');
}

function appendLines(lines: string[], layer: Layer, columns: Column[], final: boolean, indent: string): void {
  lines.push(`${indent}${selectClause(layer, columns, final)}`);
  const from = layer.from;
  if (typeof from === 'string') {
    lines.push(`${indent}FROM ${from} AS ${layer.alias}`);
  } else if ('layer' in from) {
    lines.push(`${indent}FROM (`);
    appendLines(lines, from.layer, from.columns, false, `${indent}  `);
    lines.push(`${indent}) AS ${layer.alias}`);
  } else if ('join' in from) {
    const { type, left, right, on } = from.join;
    lines.push(`${indent}FROM (`);
    appendLines(lines, left.layer, left.columns, false, `${indent}  `);
    lines.push(`${indent}) AS ${left.alias}`);
    lines.push(`${indent}${type} JOIN (`);
    appendLines(lines, right.layer, right.columns, false, `${indent}  `);
    lines.push(`${indent}) AS ${right.alias} ON ${on.join(' AND ')}`);
  } else if ('union' in from) {
    lines.push(`${indent}FROM (`);
    from.union.forEach((member, i) => {
      if (i > 0) {
        lines.push(`${indent}  UNION ALL`);
      }
      lines.push(`${indent}  (`);
      appendLines(lines, member.layer, member.columns, false, `${indent}    `);
      lines.push(`${indent}  )`);
    });
    lines.push(`${indent}) AS ${layer.alias}`);
  } else if ('rows' in from) {
    lines.push(`${indent}FROM (SELECT ${from.rows} AS __row) AS ${layer.alias}`);
  }
  for (const line of clauseLines(layer)) {
    lines.push(`${indent}${line}`);
  }
}

function selectClause(layer: Layer, columns: Column[], final: boolean): string {
  const shown = final ? columns.filter((c) => !c.hidden) : columns;
  const select = shown.map((c) => `${final && c.type === 'bool' ? `toBool(${c.sql})` : c.sql} AS ${quoteIdent(c.name)}`);
  return `SELECT ${layer.distinct ? 'DISTINCT ' : ''}${select.join(', ')}`;
}

/** The clauses after FROM, a line each. */
function clauseLines(layer: Layer): string[] {
  const lines: string[] = [];
  if (layer.arrayJoin) {
    const joins = [layer.arrayJoin, ...(layer.arrayJoin.more ?? [])].map((j) => `${j.sql} AS ${j.alias}`);
    lines.push(`${layer.arrayJoin.left ? 'LEFT ' : ''}ARRAY JOIN ${joins.join(', ')}`);
  }
  layer.where.forEach((condition, i) => lines.push(i === 0 ? `WHERE ${condition}` : `  AND ${condition}`));
  if (layer.groupBy && layer.groupBy.length > 0) {
    lines.push(`GROUP BY ${layer.groupBy.join(', ')}`);
  }
  if (layer.orderBy.length > 0) {
    lines.push(`ORDER BY ${layer.orderBy.join(', ')}`);
  }
  if (layer.limitBy) {
    lines.push(`LIMIT ${layer.limitBy.count} BY ${layer.limitBy.by.join(', ')}`);
  }
  if (layer.limit) {
    lines.push(`LIMIT ${layer.limit}`);
  }
  return lines;
}

/**
 * About how many characters the layer adds to the SQL, the layers it reads from aside, counted
 * without building the text (lengths of JS strings are known): the compiler keeps a running
 * total against the SQL limit as stages add to it.
 */
export function layerLength(layer: Layer, columns: Column[]): number {
  let length = 40 + layer.alias.length;
  for (const c of columns) {
    length += c.sql.length + c.name.length + 16;
  }
  const extra = [
    ...layer.where,
    ...(layer.groupBy ?? []),
    ...layer.orderBy,
    layer.arrayJoin?.sql ?? '',
    ...(layer.arrayJoin?.more ?? []).map((j) => j.sql),
    layer.limit ?? '',
    ...(layer.limitBy?.by ?? []),
  ];
  for (const part of extra) {
    length += part.length + 8;
  }
  const from = layer.from;
  if (typeof from === 'object' && 'join' in from) {
    length += from.join.on.reduce((n, c) => n + c.length + 8, 40);
  }
  if (typeof from === 'object' && 'rows' in from) {
    length += from.rows.length + 40;
  }
  return length;
}

/** Closes the layer: it becomes the subquery a new layer reads its columns from by name. */
export function wrap(state: State, alias: string): State {
  const columns = state.scope.columns.map((c) => ({ ...c, sql: `${alias}.${quoteIdent(c.name)}` }));
  const from = { layer: state.layer, columns: state.scope.columns };
  return {
    layer: newLayer(alias, from),
    scope: { columns, mapKeys: state.scope.mapKeys },
    ordered: state.ordered,
    depth: state.depth + 1,
  };
}
