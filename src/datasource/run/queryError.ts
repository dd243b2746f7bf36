import type { DataQueryError } from '@grafana/data';
import { SidecarError } from '../../api/errors';
import { lineColumn, type EditedText } from '../text/edits';

const POSITION_PREFIX = /^line \d+, column \d+: /;

/**
 * A failed query as Grafana shows it. Compiler errors keep the sidecar's `line L, column C:`
 * form, recomputed against the text the user wrote (the data source may have added stages);
 * an error inside an added ad hoc filter says so instead.
 */
export function toQueryError(err: unknown, refId: string, edited?: EditedText): DataQueryError {
  if (!(err instanceof SidecarError)) {
    return { refId, message: err instanceof Error ? err.message : String(err) };
  }
  let message = err.message;
  if (err.position && edited) {
    const reason = message.replace(POSITION_PREFIX, '');
    const original = edited.toOriginal(err.position.offset);
    if (original.inserted) {
      message = `in the ad hoc filters (${original.edit?.text.trim()}): ${reason}`;
    } else {
      const { line, column } = lineColumn(edited.original, original.offset);
      message = `line ${line}, column ${column}: ${reason}`;
    }
  }
  return { refId, message, status: err.status || undefined };
}

/** The 1-based line and column a query error message starts with, if it does. */
export function errorPosition(message: string | undefined): { line: number; column: number } | undefined {
  const match = /^line (\d+), column (\d+): /.exec(message ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}
