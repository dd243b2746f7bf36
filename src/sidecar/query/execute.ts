import { DEFAULT_QUERY_SECONDS } from '../config/schema';
import type { QueryOptions, Store } from '../store/store';

/** Limits every search runs with (besides readonly). */
export interface QueryLimits {
  maxExecutionSeconds: number;
  maxMemoryBytes: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxExecutionSeconds: DEFAULT_QUERY_SECONDS, maxMemoryBytes: 2 * 1024 ** 3 };

/** A query that compiled but that the store refused or stopped: the user's to fix, so a 400. */
export class QueryExecutionError extends Error {}

const LIMIT_MESSAGES: Record<number, (limits: QueryLimits) => string> = {
  159: (l) => `the query ran longer than ${l.maxExecutionSeconds} s: narrow the time range or filter earlier`,
  160: (l) => `the query would run longer than ${l.maxExecutionSeconds} s: narrow the time range or filter earlier`,
  241: (l) =>
    `the query needed more than ${Math.round(l.maxMemoryBytes / 1024 ** 2)} MiB of memory: narrow the time range, filter earlier or group by fewer values`,
};

// ClickHouse errors caused by the data a query met (bad text, ranges, types), not by the store.
const DATA_ERRORS = new Set([6, 27, 32, 36, 41, 69, 70, 72, 128, 131, 153, 158, 190, 307, 353, 395, 396, 407, 427]);

// The engine's own bounds on a query's shape: TOO_DEEP_AST, TOO_BIG_AST, TOO_DEEP_RECURSION, TOO_SLOW_PARSING.
// The compiler's limits keep queries below them; should one still be reached, it is the query's size.
const SHAPE_ERRORS = new Set([167, 168, 306, 718]);

export async function execute<T>(store: Store, sql: string, params: Record<string, unknown>, limits: QueryLimits, maxResultRows?: number) {
  const options: QueryOptions = {
    readonly: true,
    maxExecutionSeconds: limits.maxExecutionSeconds,
    maxMemoryBytes: limits.maxMemoryBytes,
    maxResultRows,
  };
  try {
    return await store.query<T>(sql, params, options);
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    const code = Number(/Code: (\d+)/.exec(message)?.[1]);
    const limit = LIMIT_MESSAGES[code];
    if (limit) {
      throw new QueryExecutionError(limit(limits));
    }
    if (SHAPE_ERRORS.has(code)) {
      const reason = engineDetail(message).split('. ')[0];
      throw new QueryExecutionError(`the query is too large or deeply nested for the engine (${reason}): use fewer stages or simpler expressions`);
    }
    const re2 = code === 427 ? re2Reason(message) : undefined;
    if (re2) {
      throw new QueryExecutionError(`invalid regular expression: ${re2} (RE2 syntax)`);
    }
    if (DATA_ERRORS.has(code)) {
      throw new QueryExecutionError(`the query failed on the data: ${engineDetail(message)}`);
    }
    throw err;
  }
}

/** The engine's reason, without its code, stack and the SQL it quotes. */
function engineDetail(message: string): string {
  return message
    .replace(/^.*?DB::Exception: /s, '')
    .split('\n')[0]
    .replace(/: In scope .*$/, '')
    .replace(/\. \([A-Z_]+\)$/, '');
}

/** RE2's reason in `cannot compile re2: <pattern>, error: <reason>. Look at https://...`; the pattern may hold anything. */
function re2Reason(message: string): string | undefined {
  const end = message.lastIndexOf('. Look at https://github.com/google/re2');
  const start = end < 0 ? -1 : message.lastIndexOf(', error: ', end);
  return start < 0 ? undefined : message.slice(start + ', error: '.length, end);
}
