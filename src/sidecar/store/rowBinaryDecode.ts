import { EVENT_COLUMNS, isNullable, type EventRow } from './eventColumns';
import type { EncodedRow } from './rowBinary';
import { toClickHouseTime } from './time';

/**
 * Reads event rows back from what rowBinary.ts writes, column by column as `EVENT_COLUMNS` declares
 * them: for tests and tools that look at what ingest sends, never on the ingest path.
 */
export function decodeEvents(rows: EncodedRow[]): EventRow[] {
  return rows.flatMap((row) => {
    const reader = new Reader(row);
    const out: EventRow[] = [];
    while (!reader.done()) {
      out.push(Object.fromEntries(EVENT_COLUMNS.map(({ name, type }) => [name, reader.value(type)])) as EventRow);
    }
    return out;
  });
}

class Reader {
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.at >= this.buf.length;
  }

  value(type: string): unknown {
    if (isNullable(type)) {
      return this.buf[this.at++] === 1 ? null : this.value(type.slice('Nullable('.length, -1));
    }
    if (type.startsWith('DateTime64')) {
      const ms = this.buf.readUInt32LE(this.at) + this.buf.readInt32LE(this.at + 4) * 2 ** 32;
      this.at += 8;
      return toClickHouseTime(ms);
    }
    if (type.startsWith('Map(')) {
      const entries = this.varUInt();
      const map: Record<string, string> = {};
      for (let i = 0; i < entries; i++) {
        const key = this.string();
        map[key] = this.string();
      }
      return map;
    }
    switch (type) {
      case 'UInt16':
        return this.number(2, this.buf.readUInt16LE(this.at));
      case 'UInt32':
        return this.number(4, this.buf.readUInt32LE(this.at));
      case 'UInt64':
        return this.number(8, this.buf.readUInt32LE(this.at) + this.buf.readUInt32LE(this.at + 4) * 2 ** 32);
      default:
        return this.string();
    }
  }

  private number(bytes: number, value: number): number {
    this.at += bytes;
    return value;
  }

  private varUInt(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        return value;
      }
      shift += 7;
    }
  }

  private string(): string {
    const length = this.varUInt();
    const text = this.buf.toString('utf8', this.at, this.at + length);
    this.at += length;
    return text;
  }
}
