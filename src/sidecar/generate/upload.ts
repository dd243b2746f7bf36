import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { GeneratedObject, GeneratedLogType } from './types';

export interface UploadedObject {
  key: string;
  logType: GeneratedLogType;
  account: string;
  region: string;
  /** Bytes stored (the gzipped body). */
  size: number;
  /** As S3 returned it, quotes included. */
  etag: string;
  events: number;
  minTime: number;
  maxTime: number;
}

export interface UploadOptions {
  /** PutObject calls in flight at once; default 8. */
  concurrency?: number;
  /** Called after each object is stored, with the number stored so far. */
  onUploaded?(object: UploadedObject, uploaded: number): void;
  /** Stops taking new objects; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export class UploadError extends Error {}

/**
 * PutObjects each generated object into the bucket with bounded parallelism, pulling the next
 * object only when a slot frees, so at most `concurrency` bodies are in memory.
 */
export async function uploadObjects(
  s3: S3Client,
  bucket: string,
  objects: Iterable<GeneratedObject> | AsyncIterable<GeneratedObject>,
  options: UploadOptions = {}
): Promise<UploadedObject[]> {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UploadError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const iterator = Symbol.asyncIterator in objects ? objects[Symbol.asyncIterator]() : objects[Symbol.iterator]();
  const uploaded: UploadedObject[] = [];
  let failed: Error | undefined;

  const next = async (): Promise<GeneratedObject | undefined> => {
    if (failed || options.signal?.aborted) {
      return undefined;
    }
    const step = await iterator.next();
    return step.done ? undefined : step.value;
  };

  const worker = async () => {
    for (let object = await next(); object; object = await next()) {
      let etag: string;
      try {
        const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body }), {
          abortSignal: options.signal,
        });
        etag = put.ETag ?? '';
      } catch (err) {
        failed ??= new UploadError(`PutObject s3://${bucket}/${object.key} failed: ${(err as Error).message}`);
        return;
      }
      const stored: UploadedObject = {
        key: object.key,
        logType: object.logType,
        account: object.account,
        region: object.region,
        size: object.body.length,
        etag,
        events: object.events,
        minTime: object.minTime,
        maxTime: object.maxTime,
      };
      uploaded.push(stored);
      options.onUploaded?.(stored, uploaded.length);
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  if (options.signal?.aborted) {
    throw options.signal.reason instanceof Error ? options.signal.reason : new UploadError('upload aborted');
  }
  if (failed) {
    throw failed;
  }
  return uploaded;
}
