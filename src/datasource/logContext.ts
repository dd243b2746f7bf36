import { LogRowContextQueryDirection, type DataQueryResponse, type LogRowContextOptions, type LogRowModel } from '@grafana/data';
import type { SidecarClient } from '../api/client';
import { logsFrame } from './frames/logs';
import { stringLiteral } from './text/literals';
import type { LookbackQuery } from './types';

/** How far before or after a line its context reaches. */
export const CONTEXT_WINDOW_MS = 24 * 3_600_000;
const DEFAULT_CONTEXT_LINES = 50;

/** Events of the same source and actor as the line, newest first (or oldest first after it). */
export function contextQueryText(row: LogRowModel, direction: LogRowContextQueryDirection = LogRowContextQueryDirection.Backward): string {
  const conditions = (['sourceId', 'actor'] as const).filter((name) => row.labels[name]).map((name) => `${name} == ${stringLiteral(row.labels[name])}`);
  const where = conditions.length > 0 ? `\n| where ${conditions.join(' and ')}` : '';
  const order = direction === LogRowContextQueryDirection.Forward ? '\n| sort by time asc' : '';
  return `events${where}${order}`;
}

/**
 * The lines just before (or after) a log line. Lines at the line's own millisecond count as
 * before it; the line itself is left out.
 */
export async function logRowContext(client: SidecarClient, row: LogRowModel, options: LogRowContextOptions = {}): Promise<DataQueryResponse> {
  const direction = options.direction ?? LogRowContextQueryDirection.Backward;
  const limit = options.limit ?? DEFAULT_CONTEXT_LINES;
  const t = row.timeEpochMs;
  const window = options.timeWindowMs ?? CONTEXT_WINDOW_MS;
  const [from, to] = direction === LogRowContextQueryDirection.Forward ? [t + 1, t + window] : [t - window, t + 1];
  const text = contextQueryText(row, direction);
  const response = await client.query({ query: text, from: new Date(from).toISOString(), to: new Date(to).toISOString(), maxRows: limit + 1 });
  const frame = logsFrame(`context-${row.uid}`, response, { executedQueryString: text }, { limit, searchWords: [] });
  if (!frame) {
    return { data: [] };
  }
  const ids = frame.fields.find((f) => f.name === 'id')?.values ?? [];
  const own = ids.findIndex((id) => id === row.rowId);
  if (own >= 0) {
    for (const field of frame.fields) {
      field.values.splice(own, 1);
    }
    frame.length -= 1;
  }
  for (const field of frame.fields) {
    field.values.splice(limit);
  }
  frame.length = Math.min(frame.length, limit);
  return { data: [frame] };
}

export function contextQuery(row: LogRowModel, options: LogRowContextOptions | undefined, query: LookbackQuery | undefined): LookbackQuery {
  return {
    refId: query?.refId ?? 'context',
    ...(query?.datasource ? { datasource: query.datasource } : {}),
    query: contextQueryText(row, options?.direction),
    format: 'logs',
    maxLines: options?.limit ?? DEFAULT_CONTEXT_LINES,
  };
}
