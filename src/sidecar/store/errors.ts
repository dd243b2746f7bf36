import { OperatorError } from '../operatorError';

/** The store cannot be used: a server that is unreachable, refuses the login, or is too old. One line, for the operator. */
export class StoreUnavailableError extends OperatorError {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
  }
}

/**
 * A statement ClickHouse refused. The message is ClickHouse's own (`Code: 159. DB::Exception: …
 * (TIMEOUT_EXCEEDED)`), the same text chDB gives, so callers read the code the same way on both stores.
 */
export class StoreQueryError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    readonly detail: string
  ) {
    super(`Code: ${code}. DB::Exception: ${detail} (${type})`);
  }
}

/** What @clickhouse/client rejects with: a ClickHouseError (code, type, message), or a Node error (code ECONNREFUSED, …). */
interface ClientError {
  message?: string;
  code?: string | number;
  type?: string;
}

/** A server error as a StoreQueryError, the client's timeout as a sentence; anything else (network, abort) unchanged. */
export function toStoreError(err: unknown, timeoutSeconds: number): unknown {
  const e = err as ClientError;
  if (typeof e?.type === 'string' && /^\d+$/.test(String(e.code))) {
    return new StoreQueryError(Number(e.code), e.type, String(e.message ?? '').trim());
  }
  if (e?.message === 'Timeout error.') {
    return new Error(`no answer from ClickHouse within ${timeoutSeconds} s (store.requestTimeoutSeconds)`);
  }
  return err;
}

/** The ClickHouse error code of a store error, if it is one. */
export function clickHouseCode(err: unknown): number | undefined {
  return err instanceof StoreQueryError ? err.code : undefined;
}
