import type { Source } from '../../shared/api';
import type { MessageBackfill } from './backfills';
import type { ObjectRef } from './notifications';

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** What a queue's notifications may make the sidecar read: one bucket, under a prefix, in a region. */
export interface TrustScope {
  bucket: string;
  prefix: string;
  region: string;
  /** Says where the scope comes from, in refusals. */
  owner: string;
}

/**
 * Anyone who can write to a queue can put any bucket in a notification, so a queue is trusted only
 * for its source: its bucket and prefix. A backfill notification is trusted for its backfill's
 * bucket, and only when that backfill exists and belongs to the queue's source. Returns the scope,
 * or why no object of the message may be read.
 */
export function trustScope(source: Source, backfillId: string, backfill: MessageBackfill | undefined): TrustScope | { refused: string } {
  if (!backfillId) {
    return { bucket: source.bucket, prefix: source.prefix ?? '', region: source.region, owner: `source "${source.id}"` };
  }
  if (!backfill) {
    return { refused: `names backfill "${backfillId}", which does not exist` };
  }
  if (backfill.sourceId !== source.id) {
    return { refused: `names backfill "${backfillId}" of source "${backfill.sourceId}", not of this queue's source "${source.id}"` };
  }
  return { bucket: backfill.bucket, prefix: '', region: backfill.region, owner: `backfill "${backfill.id}"` };
}

/** Why this object is outside the scope, or undefined when it may be read. */
export function outsideScope(ref: ObjectRef, scope: TrustScope): string | undefined {
  const where = `s3://${ref.bucket}/${ref.key}`;
  if (ref.bucket !== scope.bucket) {
    return `${where} is not in the bucket of ${scope.owner} (${scope.bucket})`;
  }
  if (!ref.key.startsWith(scope.prefix)) {
    return `${where} is not under the prefix of ${scope.owner} (${scope.prefix})`;
  }
  return undefined;
}

/**
 * The objects of a notification that may be read, each with the region to read it in (the one
 * the notification names when it is a region name, else the scope's), and the refusals.
 */
export function partitionByScope(refs: ObjectRef[], scope: TrustScope): { trusted: ObjectRef[]; refused: string[] } {
  const trusted: ObjectRef[] = [];
  const refused: string[] = [];
  for (const ref of refs) {
    const problem = outsideScope(ref, scope);
    if (problem) {
      refused.push(problem);
    } else {
      trusted.push({ ...ref, region: REGION.test(ref.region) ? ref.region : scope.region });
    }
  }
  return { trusted, refused };
}
