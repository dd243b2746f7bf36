import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LogType, Source } from '../../shared/api';

export interface DevSourceOptions {
  endpoint: string;
  id: string;
  bucket: string;
  region?: string;
  logType?: LogType | 'auto';
  /** Receives before a message goes to the dead-letter queue. */
  maxReceiveCount?: number;
  /** Visibility timeout of the queues, in seconds. */
  visibilityTimeout?: number;
}

export interface DevSource {
  source: Source;
  topicArn: string;
  liveDlqUrl: string;
  backfillDlqUrl: string;
}

const credentials = { accessKeyId: 'lookback', secretAccessKey: 'lookback' };

/**
 * Creates what a source needs in an emulator, the way a user sets it up in AWS: the bucket, an
 * SNS topic for its ObjectCreated notifications, a live queue subscribed to the topic, a
 * backfill queue, and a dead-letter queue behind each queue.
 */
export async function createDevSource(opts: DevSourceOptions): Promise<DevSource> {
  const region = opts.region ?? 'us-east-1';
  const config = { endpoint: opts.endpoint, region, credentials };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: opts.bucket }));

  const queueWithDlq = async (name: string) => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
    const dlqArn = await queueArn(sqs, dlq.QueueUrl!);
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(opts.visibilityTimeout ?? 120),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: opts.maxReceiveCount ?? 5 }),
        },
      })
    );
    return { url: queue.QueueUrl!, dlqUrl: dlq.QueueUrl! };
  };
  const live = await queueWithDlq(`lookback-${opts.id}-live`);
  const backfill = await queueWithDlq(`lookback-${opts.id}-backfill`);
  const topic = await sns.send(new CreateTopicCommand({ Name: `lookback-${opts.id}-objects` }));
  await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: await queueArn(sqs, live.url) }));
  return {
    source: { id: opts.id, logType: opts.logType ?? 'auto', bucket: opts.bucket, region, liveQueueUrl: live.url, backfillQueueUrl: backfill.url },
    topicArn: topic.TopicArn!,
    liveDlqUrl: live.dlqUrl,
    backfillDlqUrl: backfill.dlqUrl,
  };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return attrs.Attributes!.QueueArn!;
}
