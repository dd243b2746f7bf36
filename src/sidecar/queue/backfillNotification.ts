/**
 * What a backfill notification carries beyond the S3 event it imitates, agreed between the lister
 * that writes it (backfill/fabricate.ts) and ingest that reads it (ingest/notifications.ts): the
 * SNS message attribute naming the backfill.
 */
export const BACKFILL_ATTRIBUTE = 'lookback_backfill_id';
