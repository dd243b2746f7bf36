import type { Source } from '../../../src/shared/api';
import { createDevSource } from '../../../src/sidecar/emulator/devResources';
import { publishObjectCreated } from '../../../src/sidecar/emulator/notify';
import { createBucket } from '../../../src/sidecar/generate/bucket';
import type { GenerateOptions } from '../../../src/sidecar/generate/types';
import { uploadObjects, type UploadedObject } from '../../../src/sidecar/generate/upload';
import { REGION, s3Client } from '../../integration/harness/bucket';

export interface GeneratedSource {
  source: Source;
  topicArn: string;
  objects: UploadedObject[];
  events: number;
}

/**
 * A source in the emulator (bucket, topic, live and backfill queues) whose bucket holds a
 * generated day of AWS logs. Nothing is notified: only a backfill or `notifyAll` ingests them.
 */
export async function generatedSource(endpoint: string, id: string, options: GenerateOptions): Promise<GeneratedSource> {
  const dev = await createDevSource({ endpoint, id, bucket: `${id}-logs` });
  const s3 = s3Client(endpoint);
  try {
    const objects = await uploadObjects(s3, dev.source.bucket, createBucket(options).objects(), { concurrency: 16 });
    return { source: dev.source, topicArn: dev.topicArn, objects, events: objects.reduce((sum, o) => sum + o.events, 0) };
  } finally {
    s3.destroy();
  }
}

/** Publishes every object's ObjectCreated notification, as S3 would have: the live path ingests them. */
export async function notifyAll(endpoint: string, generated: GeneratedSource): Promise<void> {
  for (const object of generated.objects) {
    await publishObjectCreated(endpoint, REGION, generated.topicArn, {
      bucket: generated.source.bucket,
      key: object.key,
      size: object.size,
      etag: object.etag,
    });
  }
}
