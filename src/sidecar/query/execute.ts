import type { QueryOptions, Store } from '../store/store';

/** Limits every search runs with (besides readonly). */
export interface QueryLimits {
  maxExecutionSeconds: number;
  maxMemoryBytes: number;
}

/** 25 s: a search stops, with a message, before Grafana's data proxy gives up on it (30 s by default). */
export const DEFAULT_LIMITS: QueryLimits = { maxExecutionSeconds: 25, maxMemoryBytes: 2 * 1024 ** 3 };

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
    if (DATA_ERRORS.has(code)) {
      const detail = message
        .replace(/^.*?DB::Exception: /s, '')
        .split('\n')[0]
        .replace(/: In scope .*$/, '');
      throw new QueryExecutionError(`the query failed on the data: ${detail}`);
    }
    throw err;
  }
}
