import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { vpcflow } from '../formats/vpcflow';
import { chunksOf } from '../formats/parseAll';
import { decodeBody } from './decode';
import { limitBytes, ObjectLimitError } from './limits';

const LINE = '2 111122223333 eni-0123456789abcdef0 10.0.0.1 10.0.1.1 1024 443 6 10 840 1793793600 1793793660 ACCEPT OK\n';

describe('the decompressed-bytes limit', () => {
  it('lets the whole records before the limit through, then stops reading with an error naming the setting', async () => {
    const text = LINE.repeat(1000);
    const limit = 10 * LINE.length + 40;
    const { stream } = await decodeBody(Readable.from(chunksOf(gzipSync(text), 256)));
    let events = 0;
    let error: unknown;
    try {
      for await (const item of vpcflow.parse(limitBytes(stream, limit), { bucket: 'b', key: 'k', size: 0, keyTime: null })) {
        expect('event' in item).toBe(true);
        events++;
      }
    } catch (err) {
      error = err;
    }
    expect(events).toBe(10);
    expect(error).toBeInstanceOf(ObjectLimitError);
    expect((error as ObjectLimitError).reason('s3://b/k', events, 0)).toBe(
      's3://b/k decompresses to more than 1,090 bytes (ingest.maxObjectBytes): the 10 events before the limit were kept, the rest was not read; raise ingest.maxObjectBytes (LOOKBACK_MAX_OBJECT_BYTES) to read it whole'
    );
  });

  it('passes an object of exactly the limit whole', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of limitBytes(chunksOf(Buffer.from(LINE.repeat(3)), 7), LINE.length * 3)) {
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks).toString()).toBe(LINE.repeat(3));
  });
});
