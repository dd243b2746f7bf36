import type { EventRow } from './eventColumns';

/**
 * One event row in ClickHouse's RowBinary format, columns in `EVENT_COLUMNS` order
 * (eventColumns.ts; LowCardinality columns take their inner type in RowBinary): a view into a
 * chunk it shares with the rows encoded before it by the same encoder.
 */
export type EncodedRow = Buffer;

/** Event rows encoded one after the other by one encoder (insertBody makes them one chunk). */
export function encodeEvents(rows: EventRow[]): EncodedRow[] {
  const encoder = new EventRowEncoder();
  return rows.map((row) => encoder.encode(row));
}

/**
 * The chunks of an insert body holding these rows in this order: rows that lie next to each other
 * in one chunk (as one encoder wrote them) become one view of it, nothing is copied.
 */
export function insertBody(rows: EncodedRow[]): Buffer[] {
  const body: Buffer[] = [];
  let run: EncodedRow | undefined;
  for (const row of rows) {
    if (run && run.buffer === row.buffer && run.byteOffset + run.length === row.byteOffset) {
      run = Buffer.from(run.buffer, run.byteOffset, run.length + row.length);
    } else {
      if (run) {
        body.push(run);
      }
      run = row;
    }
  }
  if (run) {
    body.push(run);
  }
  return body;
}

/**
 * Encodes event rows one at a time, each into one contiguous view of the encoder's current chunk.
 * What waits for an insert is then bytes outside the JavaScript heap, not row objects that the
 * garbage collector traces and copies until the insert is done.
 */
export class EventRowEncoder {
  private readonly out = new RowBinaryWriter();

  encode(r: EventRow): EncodedRow {
    const out = this.out;
    out.startRow();
    out.dateTime64ms(r.time);
    out.dateTime64ms(r.received_at);
    out.string(r.source_id);
    out.string(r.log_type);
    out.string(r.event_name);
    out.string(r.actor);
    out.string(r.src_ip);
    out.nullableUInt16(r.src_port);
    out.string(r.dst_ip);
    out.nullableUInt16(r.dst_port);
    out.string(r.outcome);
    out.string(r.status);
    out.string(r.severity);
    out.string(r.region);
    out.string(r.account);
    out.string(r.service);
    out.string(r.user_agent);
    out.nullableUInt64(r.bytes);
    out.string(r.raw);
    out.stringMap(r.fields);
    out.string(r.bucket);
    out.string(r.key);
    out.string(r.etag);
    out.uint32(r.record_index);
    out.string(r.backfill_id);
    return out.endRow();
  }
}

const TWO_32 = 2 ** 32;
/** Strings shorter than this are tried as ASCII one code unit at a time (their length fits one varint byte). */
const SHORT_STRING = 64;
/** `2024-03-01 08:15:00.000`, as toClickHouseTime writes times. */
const CLICKHOUSE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/** Milliseconds since the epoch of a time as the rows carry it (ClickHouse text in UTC, or ISO 8601). */
export function timeMs(text: string): number {
  const m = CLICKHOUSE_TIME.exec(text);
  const ms = m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7].padEnd(3, '0') : 0) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new Error(`not a time: "${text}"`);
  }
  return ms;
}

/**
 * Chunks grow from the first size to the last by doubling, so the rows of a small object (each
 * object has an encoder) hold little more than their own bytes, and a large one few chunks.
 */
const FIRST_CHUNK_BYTES = 16 * 1024;
const LAST_CHUNK_BYTES = 1024 * 1024;

/** Appends RowBinary values to the current chunk, a row at a time; a row never spans two chunks. */
class RowBinaryWriter {
  private buf = Buffer.allocUnsafe(FIRST_CHUNK_BYTES);
  private at = 0;
  private rowStart = 0;

  startRow(): void {
    this.rowStart = this.at;
  }

  endRow(): Buffer {
    return this.buf.subarray(this.rowStart, this.at);
  }

  /** Makes room for `bytes` more: a full chunk is left to the rows in it, the row begun in it moves to the next. */
  private room(bytes: number): void {
    if (this.at + bytes > this.buf.length) {
      const begun = this.at - this.rowStart;
      const next = Buffer.allocUnsafe(Math.max(Math.min(2 * this.buf.length, LAST_CHUNK_BYTES), begun + bytes));
      this.buf.copy(next, 0, this.rowStart, this.at);
      this.buf = next;
      this.rowStart = 0;
      this.at = begun;
    }
  }

  private varUInt(value: number): void {
    while (value >= 0x80) {
      this.buf[this.at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.at++] = value;
  }

  string(value: string): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: short strings skip measuring.
    const most = value.length * 3;
    this.room(most + 5);
    if (value.length < SHORT_STRING) {
      // Most values are short ASCII (map keys, names, IPs): copied here, faster than a call into Buffer.write.
      const start = this.at + 1;
      let at = start;
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) {
          at = -1;
          break;
        }
        this.buf[at++] = code;
      }
      if (at >= 0) {
        this.buf[this.at] = at - start;
        this.at = at;
        return;
      }
    }
    if (most < 0x80) {
      const written = this.buf.write(value, this.at + 1);
      this.buf[this.at] = written;
      this.at += written + 1;
      return;
    }
    this.varUInt(Buffer.byteLength(value));
    this.at += this.buf.write(value, this.at);
  }

  stringMap(map: Record<string, string>): void {
    const keys = Object.keys(map);
    this.room(5);
    this.varUInt(keys.length);
    for (const key of keys) {
      this.string(key);
      this.string(map[key]);
    }
  }

  uint32(value: number): void {
    this.room(4);
    this.at = this.buf.writeUInt32LE(value, this.at);
  }

  nullableUInt16(value: number | null): void {
    this.room(3);
    if (value === null || value === undefined) {
      this.buf[this.at++] = 1;
      return;
    }
    this.buf[this.at++] = 0;
    this.at = this.buf.writeUInt16LE(value, this.at);
  }

  nullableUInt64(value: number | null): void {
    this.room(9);
    if (value === null || value === undefined) {
      this.buf[this.at++] = 1;
      return;
    }
    this.buf[this.at++] = 0;
    this.at = this.buf.writeUInt32LE(value % TWO_32, this.at);
    this.at = this.buf.writeUInt32LE(Math.floor(value / TWO_32), this.at);
  }

  /** DateTime64(3) is an Int64 of milliseconds: low word, then the (signed) high word. */
  dateTime64ms(text: string): void {
    const ms = timeMs(text);
    const high = Math.floor(ms / TWO_32);
    this.room(8);
    this.at = this.buf.writeUInt32LE(ms - high * TWO_32, this.at);
    this.at = this.buf.writeInt32LE(high, this.at);
  }
}
