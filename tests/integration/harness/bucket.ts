import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { gzipSync } from 'node:zlib';
import { publishObjectCreated, s3Notification, type CreatedObject } from '../../../src/sidecar/emulator/notify';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const REGION = 'us-east-1';

export function s3Client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials });
}

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: REGION, credentials });
}

/** Puts an object (gzipped when the key ends in .gz and `gzip` is not false). */
export async function putObject(endpoint: string, bucket: string, key: string, body: Buffer | string, gzip = key.endsWith('.gz')): Promise<CreatedObject> {
  const bytes = gzip ? gzipSync(body) : Buffer.from(body);
  const put = await s3Client(endpoint).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  return { bucket, key, size: bytes.length, etag: put.ETag ?? '' };
}

/** Puts an object and publishes its ObjectCreated notification through the source's SNS topic. */
export async function putAndNotify(
  endpoint: string,
  topicArn: string,
  bucket: string,
  key: string,
  body: Buffer | string,
  gzip?: boolean
): Promise<CreatedObject> {
  const object = await putObject(endpoint, bucket, key, body, gzip);
  await publishObjectCreated(endpoint, REGION, topicArn, object);
  return object;
}

/** Sends a raw message body straight to a queue. */
export async function sendRaw(endpoint: string, queueUrl: string, body: string): Promise<void> {
  await sqsClient(endpoint).send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

export { s3Notification };
