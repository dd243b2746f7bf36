import { createGunzip } from 'node:zlib';
import { pipeline, Readable } from 'node:stream';
import { readPrefix } from '../formats/prefix';

const GZIP_MAGIC = [0x1f, 0x8b];
/** Decoded bytes per chunk: zlib's 16 KiB default costs a round trip to its thread pool per 16 KiB. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * Peeks at the first bytes of an object's body and returns the decoded byte stream (gunzipped
 * when the bytes are gzip, whatever the key says) plus the first decoded bytes for detection.
 */
export async function decodeBody(body: Readable): Promise<{ stream: AsyncIterable<Buffer>; gzip: boolean }> {
  const iterator = body[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Uint8Array);
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  async function* raw(): AsyncGenerator<Buffer> {
    if (head.length) {
      yield head;
    }
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield Buffer.from(next.value as Uint8Array);
    }
  }
  if (!gzip) {
    return { stream: raw(), gzip };
  }
  // Multi-member gzip (concatenated files, as ELB and Firehose write) is read to the end. A read
  // that fails mid-body (a reset connection, the body destroyed) reaches the reader of the gunzip
  // stream as its error, never as an uncaught one.
  const gunzip = pipeline(Readable.from(raw()), createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }), () => undefined);
  return { stream: gunzip, gzip };
}

/** Reads the first `bytes` of a decoded stream for detection and gives back a stream of all of it. */
export async function peek(stream: AsyncIterable<Buffer>, bytes = 4096): Promise<{ head: string; stream: AsyncIterable<Buffer> }> {
  const { prefix, chunks } = await readPrefix(stream, bytes);
  return { head: prefix.toString('utf8'), stream: chunks };
}
