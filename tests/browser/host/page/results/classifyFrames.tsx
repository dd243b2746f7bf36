import { FieldType, type DataFrame } from '@grafana/data';

export interface ClassifiedFrames {
  logs: DataFrame[];
  graph: DataFrame[];
  table: DataFrame[];
}

/** Only time and number fields, one time field: what Explore draws as a graph by default. */
function isTimeSeries(frame: DataFrame): boolean {
  const types = new Set(frame.fields.map((f) => f.type));
  return types.size === 2 && frame.fields.filter((f) => f.type === FieldType.time).length === 1 && types.has(FieldType.number);
}

/** Explore's decorateWithFrameTypeMetadata: which panel shows which frame. */
export function classifyFrames(frames: DataFrame[]): ClassifiedFrames {
  const out: ClassifiedFrames = { logs: [], graph: [], table: [] };
  for (const frame of frames) {
    switch (frame.meta?.preferredVisualisationType) {
      case 'logs':
        out.logs.push(frame);
        break;
      case 'graph':
        out.graph.push(frame);
        break;
      case 'table':
        out.table.push(frame);
        break;
      default:
        if (isTimeSeries(frame)) {
          out.graph.push(frame);
        }
        out.table.push(frame);
    }
  }
  return out;
}
