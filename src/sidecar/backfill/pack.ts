import { notificationBody, packGroups, type NotifiedObject, type PackLimits } from '../queue/notificationBodies';
import type { ListedObject } from './select';

/**
 * How one listing page is cut into backfill messages. One message is one unit of ingest: its
 * objects are read together and their events inserted in large blocks, so a message should hold
 * many objects, and yet stay minutes of work, not hours (a redelivery reads what it has not
 * finished again). SQS's 256 KiB per message allows some 300 records; 128 MiB of objects (as
 * listed, mostly gzip: a GB or two of logs, about a minute at the demo's pace on 2 cores) bounds
 * the work of one message.
 */
export const PACK_LIMITS: PackLimits = { maxRecords: 1000, maxObjectBytes: 128 * 1024 ** 2 };

/**
 * The backfill messages of one listing page: S3 ObjectCreated notifications (key URL-encoded,
 * eTag, size, region, event time = LastModified) of the page's objects, in the order given, as
 * many to a message as the limits allow, in an SNS envelope whose `lookback_backfill_id` attribute
 * names the backfill. A pure function: the same page always gives byte-identical messages, so a
 * page enqueued again after a crash repeats the same units of ingest, which the ledger and the
 * insert tokens absorb.
 */
export function packPage(backfillId: string, bucket: string, region: string, objects: ListedObject[], limits = PACK_LIMITS): string[] {
  return packPageMessages(backfillId, bucket, region, objects, limits).map((m) => m.body);
}

/** packPage's messages with the objects each names. */
export function packPageMessages(
  backfillId: string,
  bucket: string,
  region: string,
  objects: ListedObject[],
  limits = PACK_LIMITS
): Array<{ body: string; objects: NotifiedObject[] }> {
  const notified = objects.map((o) => ({ bucket, key: o.key, size: o.size, etag: o.etag, region, time: o.lastModified }));
  return packGroups(notified, backfillId, limits).map((group) => ({ body: notificationBody(group, backfillId), objects: group }));
}
