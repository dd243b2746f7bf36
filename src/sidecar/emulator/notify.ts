import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { unquoteEtag } from '../aws/etag';

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
}

/** The S3 event notification AWS sends for an ObjectCreated:Put, keys URL-encoded as S3 does. */
export function s3Notification(object: CreatedObject, region: string, eventTime = new Date()): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: eventTime.toISOString(),
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: object.bucket, arn: `arn:aws:s3:::${object.bucket}` },
          object: {
            key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: object.size,
            eTag: unquoteEtag(object.etag),
          },
        },
      },
    ],
  });
}

/** Publishes the ObjectCreated notification of an object to the bucket's SNS topic. */
export async function publishObjectCreated(endpoint: string, region: string, topicArn: string, object: CreatedObject): Promise<void> {
  const sns = new SNSClient({ endpoint, region, credentials: { accessKeyId: 'lookback', secretAccessKey: 'lookback' } });
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Amazon S3 Notification', Message: s3Notification(object, region) }));
}
