import type { Column, Scope } from './context';
import { indent, quoteIdent } from './sql';

/**
 * One SELECT. Stages merge into the current layer while SQL's clause order keeps their meaning
 * (a filter after `take` cannot), otherwise the layer becomes the FROM of a new one. Inside a
 * layer every column is its defining expression over the qualified input (`__t1.actor`), so
 * output aliases can never capture a reference.
 */
export interface Layer {
  alias: string;
  from: string;
  where: string[];
  arrayJoin?: { sql: string; alias: string };
  /** GROUP BY expressions; non-null once the layer aggregates (empty: one group). */
  groupBy: string[] | null;
  distinct: boolean;
  orderBy: string[];
  limit: string | null;
}

export interface State {
  layer: Layer;
  scope: Scope;
  /** The rows have an order a later stage must keep (sort, top, or the implicit newest-first). */
  ordered: boolean;
}

export type LayerUse = 'filter' | 'project' | 'aggregate' | 'sort' | 'limit' | 'expand';

/** Whether a stage of this kind can join the layer without changing its meaning. */
export function canMerge(layer: Layer, use: LayerUse): boolean {
  const limited = layer.limit !== null;
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

export function newLayer(alias: string, from: string): Layer {
  return { alias, from, where: [], groupBy: null, distinct: false, orderBy: [], limit: null };
}

export function renderLayer(layer: Layer, columns: Column[], final = false): string {
  const select = columns.map((c) => `${final && c.type === 'bool' ? `toBool(${c.sql})` : c.sql} AS ${quoteIdent(c.name)}`);
  const lines = [`SELECT ${layer.distinct ? 'DISTINCT ' : ''}${select.join(', ')}`, `FROM ${layer.from} AS ${layer.alias}`];
  if (layer.arrayJoin) {
    lines.push(`ARRAY JOIN ${layer.arrayJoin.sql} AS ${layer.arrayJoin.alias}`);
  }
  if (layer.where.length > 0) {
    lines.push(`WHERE ${layer.where.join('\n  AND ')}`);
  }
  if (layer.groupBy && layer.groupBy.length > 0) {
    lines.push(`GROUP BY ${layer.groupBy.join(', ')}`);
  }
  if (layer.orderBy.length > 0) {
    lines.push(`ORDER BY ${layer.orderBy.join(', ')}`);
  }
  if (layer.limit) {
    lines.push(`LIMIT ${layer.limit}`);
  }
  return lines.join('\n');
}

/** Closes the layer: it becomes the subquery a new layer reads its columns from by name. */
export function wrap(state: State, alias: string): State {
  const from = `(\n${indent(renderLayer(state.layer, state.scope.columns))}\n)`;
  const columns = state.scope.columns.map((c) => ({ ...c, sql: `${alias}.${quoteIdent(c.name)}` }));
  return { layer: newLayer(alias, from), scope: { columns, mapKeys: state.scope.mapKeys }, ordered: state.ordered };
}
