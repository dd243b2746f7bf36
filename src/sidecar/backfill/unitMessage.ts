import { LISTING_UNIT_TYPE } from '../queue/listingUnit';

/**
 * A listing unit: one page of one planned prefix of a backfill, as a message on the source's
 * backfill queue. Whichever sidecar receives it lists that page. The bucket, region, order and
 * the filter of the prefix are read from the stored backfill and its plan, never from the message.
 */
export interface UnitMessage {
  backfillId: string;
  prefix: string;
  /** 0 for the prefix's first page. */
  page: number;
  /** ListObjectsV2's continuation token of the page; '' for the first. */
  token: string;
}

/** S3 keys (so prefixes) are at most 1,024 bytes; continuation tokens are opaque but short. */
const MAX_PREFIX = 1024;
const MAX_TOKEN = 4096;
const MAX_PAGES = 10_000_000;
const BACKFILL_ID = /^bf-[0-9A-Za-z-]{1,64}$/;

export class UnitMessageError extends Error {}

/** The message of a unit: always the same text for the same unit (one key order), so a unit sent twice is the same message. */
export function unitBody(unit: UnitMessage): string {
  return JSON.stringify({ type: LISTING_UNIT_TYPE, backfillId: unit.backfillId, prefix: unit.prefix, page: unit.page, token: unit.token });
}

/** Reads a unit's message; throws UnitMessageError naming what is wrong with it. */
export function parseUnitBody(body: string): UnitMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new UnitMessageError(`listing unit is not JSON: ${(err as Error).message}`);
  }
  const unit = parsed as Record<string, unknown>;
  if (typeof unit !== 'object' || unit === null || unit.type !== LISTING_UNIT_TYPE) {
    throw new UnitMessageError(`listing unit has no type "${LISTING_UNIT_TYPE}"`);
  }
  const { backfillId, prefix, page, token } = unit;
  if (typeof backfillId !== 'string' || !BACKFILL_ID.test(backfillId)) {
    throw new UnitMessageError('listing unit has no valid backfillId');
  }
  if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX) {
    throw new UnitMessageError(`listing unit has no prefix of at most ${MAX_PREFIX} characters`);
  }
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 0 || page > MAX_PAGES) {
    throw new UnitMessageError('listing unit has no valid page number');
  }
  if (typeof token !== 'string' || token.length > MAX_TOKEN || (page === 0) !== (token === '')) {
    throw new UnitMessageError('listing unit has no valid continuation token (none on page 0, one on every other)');
  }
  return { backfillId, prefix, page, token };
}
