import { FieldType, type DataFrame } from '@grafana/data';

/** What the specs read back from a run: each frame's shape, without its values. */
export interface FrameSummary {
  refId?: string;
  name?: string;
  length: number;
  fields: string[];
  type?: string;
  preferredVisualisationType?: string;
}

export function summarizeFrames(frames: DataFrame[]): FrameSummary[] {
  return frames.map((frame) => ({
    refId: frame.refId,
    name: frame.name,
    length: frame.length,
    fields: frame.fields.map((f) => `${f.name}:${f.type}`),
    type: frame.meta?.type,
    preferredVisualisationType: frame.meta?.preferredVisualisationType,
  }));
}

/** The sum of every number in the frames (a histogram's total count). */
export function totalOf(frames: DataFrame[]): number {
  return frames
    .flatMap((f) => f.fields.filter((field) => field.type === FieldType.number))
    .reduce((sum, field) => sum + field.values.reduce((s: number, v) => s + (Number(v) || 0), 0), 0);
}
