import { gunzipSync } from 'node:zlib';
import { recordLimitError } from './limits';
import { permanentFailure } from './outcome';

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
};

describe('which failures are final', () => {
  it('are an object S3 says is gone, bytes that do not decode, and a limit', () => {
    expect(permanentFailure(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: {} }))).toBe('missing');
    expect(permanentFailure(thrown(() => gunzipSync(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]))))).toBe('undecodable');
    expect(permanentFailure(recordLimitError(10))).toBe('over-limit');
  });

  it('leave everything else to another try: the network, the store, a shutdown, a bug', () => {
    expect(permanentFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(permanentFailure(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBeUndefined();
    expect(
      permanentFailure(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }))
    ).toBeUndefined();
    // A name alone is not S3's answer: only a service exception (with $metadata) is.
    expect(permanentFailure(Object.assign(new Error('no such thing'), { name: 'NotFound' }))).toBeUndefined();
    expect(permanentFailure(new TypeError('x is undefined'))).toBeUndefined();
  });
});
