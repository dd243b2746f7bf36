import type { QueueMessage } from './message';

/**
 * What tells a listing unit (a page of a backfill's prefix to list) from an S3 notification on a
 * backfill queue, agreed between backfill/unitMessage.ts, which writes units, and sidecar.ts,
 * which routes them: the body starts with this type. Units come only from backfill queues.
 */
export const LISTING_UNIT_TYPE = 'lookback.listing-unit';

const START = `{"type":"${LISTING_UNIT_TYPE}"`;

export function isListingUnit(message: QueueMessage): boolean {
  return message.binding.kind === 'backfill' && message.body.startsWith(START);
}
