import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createBucket } from './bucket';
import { uploadObjects, UploadError } from './upload';

/** A stand-in for S3 that stores bodies after a delay and answers like PutObject does. */
function fakeS3(options: { failKey?: RegExp } = {}) {
  const stored = new Map<string, Buffer>();
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    async send(command: unknown) {
      if (!(command instanceof PutObjectCommand)) {
        throw new Error('only PutObject is expected');
      }
      const { Bucket, Key, Body } = command.input;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      if (options.failKey?.test(Key!)) {
        throw new Error('NoSuchBucket: The specified bucket does not exist');
      }
      const body = Body as Buffer;
      stored.set(`${Bucket}/${Key}`, body);
      return { ETag: `"${createHash('md5').update(body).digest('hex')}"` };
    },
  };
  return { client: client as unknown as S3Client, stored, maxInFlight: () => maxInFlight };
}

const SMALL = {
  seed: 4,
  end: '2024-01-02T00:00:00Z',
  days: 1,
  targetEvents: 600,
  accounts: 1,
  regions: ['us-east-1'],
  incident: false,
};

describe('uploadObjects', () => {
  it('PutObjects every object under its key with bounded parallelism, and reports sizes and ETags', async () => {
    const expected = [...createBucket(SMALL).objects()];
    const s3 = fakeS3();
    const progress: number[] = [];
    const uploaded = await uploadObjects(s3.client, 'logs', createBucket(SMALL).objects(), {
      concurrency: 4,
      onUploaded: (_o, n) => progress.push(n),
    });
    expect(s3.maxInFlight()).toBe(4);
    expect(progress).toEqual(expected.map((_, i) => i + 1));
    expect(uploaded).toHaveLength(expected.length);
    for (const o of expected) {
      expect(s3.stored.get(`logs/${o.key}`)!.equals(o.body)).toBe(true);
      const u = uploaded.find((x) => x.key === o.key)!;
      expect(u).toEqual({
        key: o.key,
        logType: o.logType,
        account: o.account,
        region: o.region,
        size: o.body.length,
        etag: `"${createHash('md5').update(o.body).digest('hex')}"`,
        events: o.events,
        minTime: o.minTime,
        maxTime: o.maxTime,
      });
    }
  });

  it('takes objects from an async iterable too', async () => {
    const expected = [...createBucket(SMALL).objects()];
    async function* source() {
      yield* createBucket(SMALL).objects();
    }
    const s3 = fakeS3();
    const uploaded = await uploadObjects(s3.client, 'logs', source(), { concurrency: 3 });
    expect(uploaded.map((u) => u.key).sort()).toEqual(expected.map((o) => o.key).sort());
    expect(s3.maxInFlight()).toBe(3);
  });

  it('stops and names the bucket and key when a PutObject fails', async () => {
    const s3 = fakeS3({ failKey: /T0[5-9]/ });
    const error = await uploadObjects(s3.client, 'logs', createBucket(SMALL).objects(), { concurrency: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect((error as Error).message).toMatch(/^PutObject s3:\/\/logs\/AWSLogs\/\d{12}\/\S+T0[5-9]\d{2}Z\S+ failed: NoSuchBucket/);
    expect([...s3.stored.keys()].every((k) => !/T0[5-9]\d{2}Z/.test(k))).toBe(true);
    expect(s3.stored.size).toBeLessThan([...createBucket(SMALL).planned()].length);
  });

  it('stops when aborted', async () => {
    const s3 = fakeS3();
    const controller = new AbortController();
    const uploading = uploadObjects(s3.client, 'logs', createBucket(SMALL).objects(), {
      concurrency: 2,
      signal: controller.signal,
      onUploaded: (_o, n) => n === 5 && controller.abort(new Error('enough')),
    });
    await expect(uploading).rejects.toThrow('enough');
    expect(s3.stored.size).toBeLessThan(10);
  });

  it('rejects a concurrency below one', async () => {
    await expect(uploadObjects(fakeS3().client, 'logs', [], { concurrency: 0 })).rejects.toThrow(/concurrency must be/);
  });
});
