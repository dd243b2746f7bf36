import { clickHouseCode } from './errors';

/** Network failures after which the same request may well succeed. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * ClickHouse errors that say "not now" rather than "no": too many queries or parts, a replica
 * that lost its Keeper session, a network error between nodes, an insert whose outcome is unknown.
 */
const TRANSIENT_CODES = new Set([
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  242, // TABLE_IS_READ_ONLY
  252, // TOO_MANY_PARTS
  319, // UNKNOWN_STATUS_OF_INSERT
  999, // KEEPER_EXCEPTION
]);

export function isTransient(err: unknown): boolean {
  const code = clickHouseCode(err);
  if (code !== undefined) {
    return TRANSIENT_CODES.has(code);
  }
  return TRANSIENT_NETWORK.has(String((err as NodeJS.ErrnoException)?.code));
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Wait before the first retry; doubled for each next one, with jitter. */
  firstDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 200 };

/**
 * Runs `attempt` again after a transient failure. Every statement the store sends is safe to
 * repeat: reads; event inserts, whose token makes a repeat a no-op; ledger and state rows, which
 * ReplacingMergeTree collapses; DDL, which says IF NOT EXISTS.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= policy.attempts || signal?.aborted || !isTransient(err)) {
        throw err;
      }
      const delay = policy.firstDelayMs * 2 ** (n - 1) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
