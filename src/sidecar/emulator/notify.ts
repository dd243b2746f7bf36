import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { unquoteEtag } from '../aws/etag';
import { notificationBody } from '../queue/notificationBodies';

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
}

/** The S3 event notification AWS sends for an ObjectCreated:Put, keys URL-encoded as S3 does. */
export function s3Notification(object: CreatedObject, region: string, eventTime = new Date()): string {
  return notificationBody([{ ...object, etag: unquoteEtag(object.etag), region, time: eventTime.getTime() }], '');
}

/** Publishes the ObjectCreated notification of an object to the bucket's SNS topic. */
export async function publishObjectCreated(endpoint: string, region: string, topicArn: string, object: CreatedObject): Promise<void> {
  const sns = new SNSClient({ endpoint, region, credentials: { accessKeyId: 'lookback', secretAccessKey: 'lookback' } });
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Amazon S3 Notification', Message: s3Notification(object, region) }));
}
