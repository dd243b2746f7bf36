import { createHash } from 'node:crypto';
import type { EncodedRow } from '../store/rowBinary';
import type { ObjectVersion } from '../store/store';

/** How large one insert of events may grow: rows, and weight (the bytes of the rows, encoded). */
export interface BlockBounds {
  rows: number;
  weight: number;
}

/**
 * The weight of one block at most: 32 MiB of encoded rows. ClickHouse wants thousands of rows per
 * insert; this keeps what a unit holds in memory bounded whatever the rows.
 */
export const BLOCK_WEIGHT = 32 * 1024 * 1024;

/** What a row weighs: its bytes as the insert sends them, which is also what it holds in memory. */
export function rowWeight(row: EncodedRow): number {
  return row.length;
}

/**
 * The bounds of the block that starts a message: a sixteenth of the others, so the first events
 * of a backfill are searchable within seconds, not after a whole block is read. A message whose
 * objects, as listed (mostly gzip), weigh at most an eighth of such a first block gets the full
 * bounds instead: it is read whole in about the time a first block takes, and cutting it would
 * only make one more insert, and one more part to merge (the demo's day folders of some 30
 * objects were two inserts of about 1,000 rows each). The bounds depend only on the message and
 * on where the block starts in it, so a later attempt cuts the same blocks: it resumes at a
 * block's start (a block's objects are recorded together, in order).
 */
export function firstBlockBounds(bounds: BlockBounds, listedBytes: number): BlockBounds {
  const first = { rows: Math.ceil(bounds.rows / 16), weight: Math.ceil(bounds.weight / 16) };
  return listedBytes <= first.weight / 8 ? bounds : first;
}

function digest(objects: ObjectVersion[]): string {
  const hash = createHash('sha256');
  for (const o of objects) {
    hash.update(JSON.stringify([o.bucket, o.key, o.etag]));
  }
  return hash.digest('base64url');
}

/**
 * The deduplication token of a block of whole objects: derived from exactly the objects in it
 * (bucket, key, ETag of each, in order), so a block with the same objects has the same token
 * whatever message carried it, and the same token always stands for the same rows.
 */
export function blockToken(objects: ObjectVersion[]): string {
  return `objects/${digest(objects)}`;
}

/**
 * The token of one chunk of an object too large for a block of its own: the object, the chunk's
 * number and the bounds the chunks were cut with (so a sidecar cutting with other bounds never
 * takes another's chunk for its own; `B`: the weight is in encoded bytes, which earlier versions
 * did not measure).
 */
export function chunkToken(object: ObjectVersion, chunk: number, bounds: BlockBounds): string {
  return `object/${digest([object])}/${bounds.rows}x${bounds.weight}B/${chunk}`;
}

/** Rows collected up to the bounds: `fits` says whether more would take it past them. */
export class RowBlock {
  rows: EncodedRow[] = [];
  weight = 0;

  constructor(readonly bounds: BlockBounds) {}

  fits(rows: number, weight: number): boolean {
    return this.rows.length + rows <= this.bounds.rows && this.weight + weight <= this.bounds.weight;
  }

  add(row: EncodedRow, weight: number): void {
    this.rows.push(row);
    this.weight += weight;
  }

  take(): EncodedRow[] {
    const rows = this.rows;
    this.rows = [];
    this.weight = 0;
    return rows;
  }
}
