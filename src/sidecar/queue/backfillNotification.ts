/**
 * What a backfill notification carries beyond the S3 event it imitates, agreed between the code
 * that writes it (queue/notificationBodies.ts, for backfill/pack.ts and for the rest of a split
 * message) and ingest that reads it (ingest/notifications.ts): the SNS message attribute naming the backfill.
 */
export const BACKFILL_ATTRIBUTE = 'lookback_backfill_id';
