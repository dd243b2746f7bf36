import { FieldType } from '@grafana/data';
import type { ColumnType, QueryColumn } from '../../shared/query';

export const FIELD_TYPES: Record<ColumnType, FieldType> = {
  time: FieldType.time,
  string: FieldType.string,
  number: FieldType.number,
  boolean: FieldType.boolean,
  other: FieldType.other,
};

/** A cell as Grafana holds it: times as epoch milliseconds, the rest as sent. */
export function cellValue(column: QueryColumn, value: unknown): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (column.type === 'time') {
    const ms = typeof value === 'number' ? value : Date.parse(String(value));
    return Number.isNaN(ms) ? null : ms;
  }
  if (column.type === 'number' && typeof value === 'string') {
    const n = Number(value);
    return Number.isNaN(n) ? null : n;
  }
  return value;
}

export function columnValues(rows: unknown[][], index: number, column: QueryColumn): unknown[] {
  return rows.map((row) => cellValue(column, row[index]));
}

/** A cell as label text; undefined when empty. */
export function labelText(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}
