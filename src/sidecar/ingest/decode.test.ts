import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decodeBody } from './decode';

/** A gzip body whose connection drops after its first bytes. */
function droppedBody(): Readable {
  const gzip = gzipSync('2 111122223333 eni-1 10.0.0.1 10.0.1.1 1024 443 6 10 840 1793793600 1793793660 ACCEPT OK\n'.repeat(5000));
  async function* chunks(): AsyncGenerator<Buffer> {
    yield gzip.subarray(0, 512);
    await new Promise((resolve) => setTimeout(resolve, 10));
    throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  }
  return Readable.from(chunks());
}

describe('decoding an object body', () => {
  it('hands a read error in the middle of a gzip body to its reader, and nothing uncaught escapes', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.prependListener('uncaughtException', onUncaught);
    try {
      const { stream, gzip } = await decodeBody(droppedBody());
      expect(gzip).toBe(true);
      let error: unknown;
      try {
        for await (const chunk of stream) {
          expect(chunk.length).toBeGreaterThan(0);
        }
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ message: 'read ECONNRESET' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
