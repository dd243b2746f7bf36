/**
 * Reads at least `bytes` bytes of a stream (fewer when it is shorter) and gives back the stream
 * whole, those bytes included, so a parser can look at a magic number before choosing a reader.
 */
export async function readPrefix(chunks: AsyncIterable<Buffer>, bytes: number): Promise<{ prefix: Buffer; chunks: AsyncIterable<Buffer> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  async function* whole(): AsyncGenerator<Buffer> {
    yield* taken;
    if (!done) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        yield next.value;
      }
    }
  }
  return { prefix: Buffer.concat(taken).subarray(0, bytes), chunks: whole() };
}
