import { FieldType, type DataFrame, type Field } from '@grafana/data';

export interface LogLine {
  key: string;
  time: number;
  body: string;
  level: unknown;
  labels: Record<string, string>;
}

export interface ParsedLogs {
  lines: LogLine[];
  /** What is missing for Grafana to read the frame as logs, if anything. */
  problem?: string;
}

function named(frame: DataFrame, name: string, type?: FieldType): Field | undefined {
  return frame.fields.find((f) => f.name === name && (!type || f.type === type));
}

function labelsOf(value: unknown): Record<string, string> {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!parsed || typeof parsed !== 'object') {
    return {};
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * Reads a logs frame as Grafana does: the data-plane contract's `timestamp`, `body`, `severity`,
 * `id` and `labels` fields, else the legacy rule (first time field, first string field, a
 * `level` field, `labels` on the body field).
 */
export function parseLogsFrame(frame: DataFrame): ParsedLogs {
  const time = named(frame, 'timestamp', FieldType.time) ?? frame.fields.find((f) => f.type === FieldType.time);
  const body = named(frame, 'body', FieldType.string) ?? frame.fields.find((f) => f.type === FieldType.string);
  if (!time || !body) {
    return {
      lines: [],
      problem: `a logs frame needs a time field and a string field; this one has ${frame.fields.map((f) => `${f.name}:${f.type}`).join(', ')}`,
    };
  }
  const severity = named(frame, 'severity') ?? named(frame, 'level') ?? named(frame, 'detected_level');
  const id = named(frame, 'id');
  const labels = named(frame, 'labels');
  const lines = Array.from({ length: frame.length }, (_, i) => ({
    key: String(id?.values[i] ?? i),
    time: Number(time.values[i]),
    body: String(body.values[i] ?? ''),
    level: severity?.values[i],
    labels: labels ? labelsOf(labels.values[i]) : { ...(body.labels ?? {}) },
  }));
  return { lines };
}
