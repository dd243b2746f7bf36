import { getDefaultTimeRange, type LegacyMetricFindQueryOptions, type MetricFindValue } from '@grafana/data';
import type { SidecarClient } from '../api/client';
import { prepareQuery } from './run/prepare';
import type { VariableSource } from './text/variables';

/** `values(field)` or `values(field, Table)`: the field's most frequent values in the range. */
const VALUES_OF = /^\s*values\s*\(\s*(`[^`]+`|[^,()\s]+)\s*(?:,\s*([A-Za-z][A-Za-z0-9_]*)\s*)?\)\s*$/i;
const MAX_VALUES = 1000;

export function parseValuesQuery(text: string): { field: string; table?: string } | undefined {
  const match = VALUES_OF.exec(text);
  if (!match) {
    return undefined;
  }
  return { field: match[1].replace(/^`|`$/g, ''), table: match[2] };
}

/**
 * Options of a dashboard variable: `values(field[, Table])`, or the distinct values of the
 * first column of any pipeline query (`CloudTrail | distinct actor`).
 */
export async function metricFind(
  client: SidecarClient,
  variables: VariableSource,
  query: unknown,
  options: LegacyMetricFindQueryOptions = {}
): Promise<MetricFindValue[]> {
  const text = typeof query === 'string' ? query : String((query as { query?: unknown } | undefined)?.query ?? '');
  if (!text.trim()) {
    return [];
  }
  const range = options.range ?? getDefaultTimeRange();
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const values = parseValuesQuery(text);
  if (values) {
    const response = await client.fieldValues(values.field, { from, to, table: values.table, limit: MAX_VALUES });
    return response.values.map((v) => ({ text: v.value, value: v.value }));
  }
  const prepared = prepareQuery(text, options.scopedVars, [], variables);
  const response = await client.query({
    query: prepared.edited.text,
    from,
    to,
    maxRows: MAX_VALUES * 10,
    ...(Object.keys(prepared.variables).length > 0 ? { variables: prepared.variables } : {}),
  });
  const seen = new Set<string>();
  for (const row of response.rows) {
    const value = row[0];
    if (value !== null && value !== undefined && value !== '') {
      seen.add(typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  return [...seen].slice(0, MAX_VALUES).map((v) => ({ text: v, value: v }));
}
