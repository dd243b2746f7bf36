import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import type { AsyncBuffer, Compressors } from 'hyparquet' with { 'resolution-mode': 'import' };

export const PARQUET_MAGIC = 'PAR1';

/**
 * Parquet keeps its schema and row-group index in a footer, so an object must be whole before a
 * row can be read. Objects up to this size are held in memory; larger ones are spooled to a
 * temporary file and read back one row group at a time, so memory stays bounded by the largest
 * row group rather than by the object.
 */
export const PARQUET_MEMORY_BYTES = 32 * 1024 * 1024;

export interface ParquetRowResult {
  /** 1-based row number in the object. */
  row: number;
  record?: Record<string, unknown>;
  /** Why this row (or the rows of a whole row group, or the whole object) cannot be read. */
  problem?: string;
}

function zstdCompressor(): Compressors {
  const zstd = (zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Uint8Array }).zstdDecompressSync;
  return zstd ? { ZSTD: (input) => zstd(input) } : {};
}

/** Snappy is built into hyparquet; Node's zlib reads the gzip and brotli codecs (and zstd where Node has it). */
const COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...zstdCompressor(),
};

/** Holds an object's bytes in memory, moving them to a temporary file once they pass the limit. */
class Spool {
  private parts: Buffer[] = [];
  private size = 0;
  private dir?: string;
  private file?: FileHandle;

  constructor(private readonly memoryLimit: number) {}

  async write(chunk: Buffer): Promise<void> {
    if (!this.file && this.size + chunk.length > this.memoryLimit) {
      this.dir = await mkdtemp(join(tmpdir(), 'lookback-parquet-'));
      this.file = await open(join(this.dir, 'object.parquet'), 'w+');
      for (const part of this.parts) {
        await this.file.write(part);
      }
      this.parts = [];
    }
    if (this.file) {
      await this.file.write(chunk);
    } else {
      this.parts.push(chunk);
    }
    this.size += chunk.length;
  }

  asyncBuffer(): AsyncBuffer | ArrayBuffer {
    const file = this.file;
    if (!file) {
      const all = Buffer.concat(this.parts);
      this.parts = [];
      return all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
    }
    const size = this.size;
    return {
      byteLength: size,
      async slice(start: number, end = size): Promise<ArrayBuffer> {
        const out = new Uint8Array(Math.max(0, end - start));
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await file.read(out, done, out.length - done, start + done);
          if (bytesRead === 0) {
            throw new Error(`the spooled object ends at byte ${start + done}, before ${end}`);
          }
          done += bytesRead;
        }
        return out.buffer;
      },
    };
  }

  async close(): Promise<void> {
    await this.file?.close();
    if (this.dir) {
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * Reads the rows of a Parquet object, one row group at a time. Unreadable row groups and
 * unreadable objects come back as problems, never as exceptions.
 */
export async function* parquetRows(chunks: AsyncIterable<Buffer>, memoryLimit = PARQUET_MEMORY_BYTES): AsyncGenerator<ParquetRowResult> {
  // hyparquet ships ES modules only; a dynamic import loads it from this CommonJS build.
  const { parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  const spool = new Spool(memoryLimit);
  try {
    for await (const chunk of chunks) {
      await spool.write(chunk);
    }
    const file = spool.asyncBuffer();
    let metadata;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (err) {
      yield { row: 1, problem: `not a readable Parquet object: ${(err as Error).message}` };
      return;
    }
    let start = 0;
    for (const [index, group] of metadata.row_groups.entries()) {
      const count = Number(group.num_rows);
      const end = start + count;
      let rows: Array<Record<string, unknown>>;
      try {
        rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end, compressors: COMPRESSORS });
      } catch (err) {
        yield { row: start + 1, problem: `Parquet row group ${index + 1} (rows ${start + 1}-${end}) cannot be read: ${(err as Error).message}` };
        start = end;
        continue;
      }
      for (let i = 0; i < rows.length; i++) {
        yield { row: start + i + 1, record: rows[i] };
      }
      start = end;
    }
  } finally {
    await spool.close();
  }
}

/** A Parquet value as text: `-` for null (as the text formats write it), ISO for dates, JSON for nested values. */
export function parquetText(value: unknown): string {
  if (value === null || value === undefined) {
    return '-';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
