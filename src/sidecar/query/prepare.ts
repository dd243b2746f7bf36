import type { FieldCatalog } from './catalog';
import { compileQuery, type CompileOptions, type CompiledQuery } from './compiler';
import { QueryError, UnknownFieldError } from './errors';
import { MAX_TIMESPAN_DAYS, MAX_TIMESPAN_MS } from './limits';
import { parseQuery } from './parser';
import { parseTimespan } from './timespan';
import { parseRequestTime } from './time';

export interface TimeRangeMs {
  from: number;
  to: number;
}

/** The request's `from`/`to` as ms; a clear error when either is not a time or the range is empty. */
export function requestRange(from: string, to: string): TimeRangeMs {
  const fromMs = parseRequestTime(from);
  const toMs = parseRequestTime(to);
  if (fromMs === undefined) {
    throw new QueryError(`from "${from}" is not a time: use ISO 8601, e.g. 2024-03-01T00:00:00Z`);
  }
  if (toMs === undefined) {
    throw new QueryError(`to "${to}" is not a time: use ISO 8601, e.g. 2024-03-08T00:00:00Z`);
  }
  if (fromMs >= toMs) {
    throw new QueryError(`from (${from}) must be before to (${to})`);
  }
  return { from: fromMs, to: toMs };
}

export function requestInterval(interval: string | undefined): number | undefined {
  if (interval === undefined || interval === '') {
    return undefined;
  }
  const ms = parseTimespan(interval);
  if (ms === undefined) {
    throw new QueryError(`interval "${interval}" is not a timespan such as 30s, 5m or 1h`);
  }
  if (ms > MAX_TIMESPAN_MS) {
    throw new QueryError(`interval "${interval}" is out of range: at most ${MAX_TIMESPAN_DAYS}d`);
  }
  return ms;
}

/**
 * Compiles against the field catalog; a field the catalog does not know yet makes it reload
 * (rate-limited) and try once more, so fields of just-ingested logs become usable at once.
 */
export async function compileChecked(catalog: FieldCatalog, text: string, options: Omit<CompileOptions, 'fields'>, appendedText = ''): Promise<CompiledQuery> {
  if (appendedText) {
    // Syntax errors of the caller's part must point into it, not past it into the stages appended.
    parseQuery(text);
  }
  const attempt = (fields: CompileOptions['fields']) =>
    compileQuery(appendedText ? `${withoutTrailingSemicolon(text)}\n${appendedText}` : text, { ...options, fields });
  try {
    return attempt(await catalog.snapshot());
  } catch (err) {
    if (!(err instanceof UnknownFieldError)) {
      throw err;
    }
    const fresh = await catalog.reloadIfStale();
    if (!fresh) {
      throw err;
    }
    return attempt(fresh);
  }
}

function withoutTrailingSemicolon(text: string): string {
  return text.replace(/;\s*$/, '');
}
