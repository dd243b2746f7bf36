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

export function toColumns(meta: Array<{ name: string; type: string }>): QueryColumn[] {
  return meta.map((m) => ({ name: m.name, type: columnType(m.type), clickhouseType: m.type }));
}

/** Row objects → row-major arrays in column order; times as ISO 8601. */
export function toRows(columns: QueryColumn[], rows: Array<Record<string, unknown>>): unknown[][] {
  return rows.map((row) =>
    columns.map((c) => {
      const value = row[c.name];
      return c.type === 'time' && typeof value === 'string' ? toIso(value) : value;
    })
  );
}
