import type { LedgerEntry } from '../../shared/api';
import { ObjectLimitError } from './limits';

/**
 * What became of one object. Every kind but `retry` is final and in the ledger, and the message
 * may go; `retry` recorded nothing, and the message stays for redelivery (after the queue's
 * maxReceiveCount, its dead-letter queue).
 */
export type ObjectOutcome =
  /** Read whole (or up to a limit that is not reached) and its events stored. */
  | { kind: 'done'; entry: LedgerEntry }
  /** Not read: the ledger already had this version (`duplicate`, the entry is the earlier one), or its format holds no events. */
  | { kind: 'skipped'; entry: LedgerEntry; duplicate: boolean }
  /** A failure another try cannot fix (see permanentFailure), recorded with its reason; the events read before it are kept. */
  | { kind: 'failed'; entry: LedgerEntry }
  /** A failure worth another try: S3 or the store unreachable, a connection reset, the sidecar stopping. */
  | { kind: 'retry'; reason: string };

/** S3 answers that another GetObject would repeat. */
const MISSING_OBJECT = new Set(['NoSuchKey', 'NoSuchBucket', 'InvalidObjectState', 'NotFound']);

/**
 * The one place that decides which errors are final for an object: the object is gone or
 * unreadable (an S3 service error that names it), its bytes do not decode (a zlib error), or it
 * is over a per-object limit. Undefined means worth another try.
 */
export function permanentFailure(err: unknown): 'missing' | 'undecodable' | 'over-limit' | undefined {
  if (err instanceof ObjectLimitError) {
    return 'over-limit';
  }
  const e = err as { name?: unknown; code?: unknown; $metadata?: unknown } | null;
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return 'undecodable';
  }
  if (e?.$metadata !== undefined && typeof e.name === 'string' && MISSING_OBJECT.has(e.name)) {
    return 'missing';
  }
  return undefined;
}
