import { createDataFrame, DataFrameType, FieldType, type DataFrame } from '@grafana/data';
import type { HistogramResponse } from '../../shared/query';

/**
 * The log volume histogram as Explore draws it: one frame per group (severity or outcome),
 * every bucket present in each so the stacked bars line up, the value field labelled by the
 * group so Explore colours it by level.
 */
export function volumeFrames(refId: string, response: HistogramResponse, by: string): DataFrame[] {
  const times = [...new Set(response.buckets.map((b) => Date.parse(b.time)))].sort((a, b) => a - b);
  const groups = new Map<string, Map<number, number>>();
  for (const bucket of response.buckets) {
    const group = bucket.group || 'unknown';
    const counts = groups.get(group) ?? new Map<number, number>();
    counts.set(Date.parse(bucket.time), (counts.get(Date.parse(bucket.time)) ?? 0) + bucket.count);
    groups.set(group, counts);
  }
  const labelName = by === 'severity' ? 'level' : by;
  return [...groups.entries()].map(([group, counts]) =>
    createDataFrame({
      refId,
      name: group,
      meta: { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] },
      fields: [
        { name: 'Time', type: FieldType.time, values: times },
        {
          name: 'Value',
          type: FieldType.number,
          values: times.map((t) => counts.get(t) ?? 0),
          labels: { [labelName]: group },
          config: { displayNameFromDS: group },
        },
      ],
    })
  );
}
