import { createDataFrame, DataFrameType, FieldType, type DataFrame, type Labels, type QueryResultMeta } from '@grafana/data';
import type { QueryColumn, QueryResponse } from '../../shared/query';
import { lineIds } from './ids';
import { cellValue, labelText } from './values';

const BODY_COLUMN = 'raw';
const SEVERITY_COLUMN = 'severity';
/** The map of every parsed field under its original name. */
const FIELDS_COLUMN = 'fields';

function timeColumnIndex(columns: QueryColumn[]): number {
  const named = columns.findIndex((c) => c.name === 'time' && c.type === 'time');
  return named >= 0 ? named : columns.findIndex((c) => c.type === 'time');
}

/** Labels of one row: the normalised columns, then the parsed fields (renamed where a column has their name). */
function rowLabels(columns: QueryColumn[], row: unknown[], skip: Set<number>): Labels {
  const labels: Labels = {};
  const columnNames = new Set(columns.map((c) => c.name));
  columns.forEach((column, i) => {
    if (skip.has(i)) {
      return;
    }
    const value = row[i];
    if (column.name === FIELDS_COLUMN && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, fieldValue] of Object.entries(value as Record<string, unknown>)) {
        const text = labelText(fieldValue);
        if (text !== undefined) {
          labels[columnNames.has(key) ? `${FIELDS_COLUMN}.${key}` : key] = text;
        }
      }
      return;
    }
    const text = labelText(column.type === 'time' ? new Date(cellValue(column, value) as number).toISOString() : value);
    if (text !== undefined) {
      labels[column.name] = text;
    }
  });
  return labels;
}

/** Body of a row without a `raw` column: its other values as `name=value`. */
function composedBody(columns: QueryColumn[], row: unknown[], skip: Set<number>): string {
  return columns
    .map((column, i) => (skip.has(i) ? undefined : labelText(row[i]) !== undefined ? `${column.name}=${labelText(row[i])}` : undefined))
    .filter((part): part is string => part !== undefined)
    .join(' ');
}

export interface LogsFrameOptions {
  limit: number;
  searchWords: string[];
}

/**
 * A frame following Grafana's logs data-plane contract: `timestamp`, `body`, `severity`, `id`
 * and `labels`. Undefined when the result has no time column to order lines by.
 */
export function logsFrame(refId: string, response: QueryResponse, meta: QueryResultMeta, options: LogsFrameOptions): DataFrame | undefined {
  const { columns, rows } = response;
  const timeIndex = timeColumnIndex(columns);
  if (timeIndex < 0) {
    return undefined;
  }
  const bodyIndex = columns.findIndex((c) => c.name === BODY_COLUMN);
  const severityIndex = columns.findIndex((c) => c.name === SEVERITY_COLUMN && c.type === 'string');
  const keyIndex = columns.findIndex((c) => c.name === 'key');
  const skipForLabels = new Set([timeIndex, bodyIndex, severityIndex].filter((i) => i >= 0));
  const skipForBody = new Set([timeIndex, severityIndex].filter((i) => i >= 0));

  const timestamps = rows.map((row) => cellValue(columns[timeIndex], row[timeIndex]) as number | null);
  const bodies = rows.map((row) => (bodyIndex >= 0 ? String(row[bodyIndex] ?? '') : composedBody(columns, row, skipForBody)));
  const identities = rows.map((row, i) => `${keyIndex >= 0 ? String(row[keyIndex] ?? '') : ''}\n${timestamps[i] ?? ''}\n${bodies[i]}`);

  const fields: Array<{ name: string; type: FieldType; values: unknown[] }> = [
    { name: 'timestamp', type: FieldType.time, values: timestamps },
    { name: 'body', type: FieldType.string, values: bodies },
  ];
  if (severityIndex >= 0) {
    fields.push({ name: 'severity', type: FieldType.string, values: rows.map((row) => String(row[severityIndex] ?? '') || 'unknown') });
  }
  fields.push({ name: 'id', type: FieldType.string, values: lineIds(identities) });
  fields.push({ name: 'labels', type: FieldType.other, values: rows.map((row) => rowLabels(columns, row, skipForLabels)) });

  return createDataFrame({
    refId,
    meta: {
      ...meta,
      type: DataFrameType.LogLines,
      typeVersion: [0, 0],
      preferredVisualisationType: 'logs',
      limit: options.limit,
      searchWords: options.searchWords,
    },
    fields,
  });
}
