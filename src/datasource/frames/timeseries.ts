import { createDataFrame, DataFrameType, FieldType, type DataFrame, type Labels, type QueryResultMeta } from '@grafana/data';
import type { QueryResponse } from '../../shared/query';
import { cellValue, labelText } from './values';

interface Series {
  labels: Labels;
  points: Map<number, number | null>;
}

function seriesName(labels: Labels, valueName: string, valueCount: number): string {
  const parts = Object.values(labels);
  if (parts.length === 0) {
    return valueName;
  }
  return valueCount > 1 ? `${valueName} ${parts.join(' ')}` : parts.join(' ');
}

/**
 * Time series in Grafana's multi-frame form: one frame per group and number column, each with
 * a time and a value field labelled by the group. The rows of `summarize ... by bin(time, ...),
 * group` are long: every non-time, non-number column is part of the group. Undefined when the
 * result has no time or no number column.
 */
export function timeSeriesFrames(refId: string, response: QueryResponse, meta: QueryResultMeta): DataFrame[] | undefined {
  const { columns, rows } = response;
  const timeIndex = columns.findIndex((c) => c.type === 'time');
  const valueIndexes = columns.map((c, i) => (c.type === 'number' ? i : -1)).filter((i) => i >= 0);
  if (timeIndex < 0 || valueIndexes.length === 0) {
    return undefined;
  }
  const groupIndexes = columns.map((c, i) => (i !== timeIndex && c.type !== 'number' ? i : -1)).filter((i) => i >= 0);

  const series = new Map<string, Series>();
  for (const row of rows) {
    const time = cellValue(columns[timeIndex], row[timeIndex]) as number | null;
    if (time === null) {
      continue;
    }
    const labels: Labels = {};
    for (const i of groupIndexes) {
      labels[columns[i].name] = labelText(row[i]) ?? '';
    }
    for (const v of valueIndexes) {
      const key = `${columns[v].name}\u0000${JSON.stringify(labels)}`;
      let s = series.get(key);
      if (!s) {
        s = { labels, points: new Map() };
        series.set(key, s);
      }
      s.points.set(time, cellValue(columns[v], row[v]) as number | null);
    }
  }

  return [...series.entries()].map(([key, s]) => {
    const valueName = key.split('\u0000')[0];
    const times = [...s.points.keys()].sort((a, b) => a - b);
    const name = seriesName(s.labels, valueName, valueIndexes.length);
    return createDataFrame({
      refId,
      name,
      meta: { ...meta, type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] },
      fields: [
        { name: 'time', type: FieldType.time, values: times },
        {
          name: valueName,
          type: FieldType.number,
          values: times.map((t) => s.points.get(t) ?? null),
          labels: s.labels,
          config: Object.keys(s.labels).length > 0 ? { displayNameFromDS: name } : {},
        },
      ],
    });
  });
}
