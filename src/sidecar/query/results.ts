import type { ColumnType, QueryColumn } from '../../shared/query';
import { toIso } from '../store/time';

/** How the data source should treat a ClickHouse result type. */
export function columnType(clickhouseType: string): ColumnType {
  const type = clickhouseType.replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2').replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2');
  if (/^DateTime/.test(type) || /^Date(32)?$/.test(type)) {
    return 'time';
  }
  if (/^(U?Int\d+|Float\d+|Decimal)/.test(type)) {
    return 'number';
  }
  if (type === 'Bool') {
    return 'boolean';
  }
  if (/^(String|FixedString|Enum|UUID|IPv[46])/.test(type)) {
    return 'string';
  }
  return 'other';
}

/** Columns holding dynamic values (JSON text), or arrays of them: sent as the JSON values. */
export type DynamicColumns = ReadonlyMap<string, 'value' | 'array'>;

export function toColumns(meta: Array<{ name: string; type: string }>, dynamic: DynamicColumns = new Map()): QueryColumn[] {
  return meta.map((m) => ({ name: m.name, type: dynamic.has(m.name) ? 'other' : columnType(m.type), clickhouseType: m.type }));
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') {
    return null;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Row objects → row-major arrays in column order; times as ISO 8601. */
export function toRows(columns: QueryColumn[], rows: Array<Record<string, unknown>>, dynamic: DynamicColumns = new Map()): unknown[][] {
  return rows.map((row) =>
    columns.map((c) => {
      const value = row[c.name];
      const kind = dynamic.get(c.name);
      if (kind === 'value') {
        return parseJson(value);
      }
      if (kind === 'array' && Array.isArray(value)) {
        return value.map(parseJson);
      }
      if (Array.isArray(value) && /^Array\(DateTime/.test(c.clickhouseType)) {
        return value.map((v) => (typeof v === 'string' ? toIso(v) : v));
      }
      return c.type === 'time' && typeof value === 'string' ? toIso(value) : value;
    })
  );
}
