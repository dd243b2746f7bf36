import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { QueueDepth } from '../../shared/backfill';
import type { AwsClients } from './clients';

const TIMEOUT_MS = 3000;

/** Messages waiting and in flight on a queue (SQS's approximate counts). */
export async function queueDepth(aws: AwsClients, region: string, url: string): Promise<QueueDepth> {
  const { Attributes: attrs = {} } = await aws
    .sqs(region)
    .send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }), {
      abortSignal: AbortSignal.timeout(TIMEOUT_MS),
    });
  return { visible: Number(attrs.ApproximateNumberOfMessages ?? 0), inFlight: Number(attrs.ApproximateNumberOfMessagesNotVisible ?? 0) };
}
