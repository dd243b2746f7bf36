import type { EventRow } from '../store/eventColumns';
import { EventRowEncoder, type EncodedRow } from '../store/rowBinary';
import { rowWeight } from './blocks';
import type { ObjectRead, RowSink } from './readObject';

/**
 * The rows of one object between its reader and the unit that inserts them: the reader pushes,
 * and waits once `capacity` (in row weight, see blocks.ts) is buffered; the unit takes what is
 * there, in order, when the object's turn comes. Objects read ahead of their turn thus hold at
 * most `capacity` each, and a large one streams through.
 *
 * Rows are encoded for the insert as they are pushed: until their block is stored they are bytes,
 * not objects the garbage collector has to trace and copy (blocks are stored seconds later).
 */
export class ObjectRows implements RowSink {
  private readonly encoder = new EventRowEncoder();
  private rows: EncodedRow[] = [];
  private weight = 0;
  private result?: ObjectRead;
  private wakeTaker?: () => void;
  private wakePusher?: () => void;
  private discarded = false;

  constructor(private readonly capacity: number) {}

  push(event: EventRow): Promise<void> | undefined {
    if (this.discarded) {
      return Promise.resolve();
    }
    const row = this.encoder.encode(event);
    this.rows.push(row);
    this.weight += rowWeight(row);
    this.wake();
    if (this.weight < this.capacity) {
      return undefined;
    }
    return new Promise((resolve) => (this.wakePusher = resolve));
  }

  /** The reader is done: how the object ended. */
  finish(result: ObjectRead): void {
    this.result = result;
    this.wake();
  }

  /** Gives up on the rows: the reader is let go at its next row (and is expected to see its signal aborted). */
  discard(): void {
    this.discarded = true;
    this.rows = [];
    this.weight = 0;
    this.wakePusher?.();
    this.wakePusher = undefined;
  }

  /** The rows buffered since the last take (waiting for some when there are none), and, once the reader is done, how it ended. */
  async take(): Promise<{ rows: EncodedRow[]; end?: ObjectRead }> {
    while (this.rows.length === 0 && !this.result) {
      await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    }
    const rows = this.rows;
    this.rows = [];
    this.weight = 0;
    this.wakePusher?.();
    this.wakePusher = undefined;
    return { rows, end: rows.length === 0 ? this.result : undefined };
  }

  private wake(): void {
    this.wakeTaker?.();
    this.wakeTaker = undefined;
  }
}
