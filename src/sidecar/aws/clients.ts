import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsConfig } from '../config/types';

export interface AwsClients {
  s3(region: string): S3Client;
  sqs(region: string): SQSClient;
}

/**
 * AWS clients per region. With an endpoint override (S3-compatible store, emulator) requests go
 * there, path-style unless told otherwise; without one the SDK's default credential chain applies.
 */
export function createAwsClients(config: AwsConfig): AwsClients {
  const s3Clients = new Map<string, S3Client>();
  const sqsClients = new Map<string, SQSClient>();
  const common = (region: string) => ({
    region,
    endpoint: config.endpoint,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
        : config.endpoint
          ? { accessKeyId: 'lookback', secretAccessKey: 'lookback' }
          : undefined,
  });
  return {
    s3(region) {
      let client = s3Clients.get(region);
      if (!client) {
        client = new S3Client({ ...common(region), forcePathStyle: config.forcePathStyle ?? Boolean(config.endpoint) });
        s3Clients.set(region, client);
      }
      return client;
    },
    sqs(region) {
      let client = sqsClients.get(region);
      if (!client) {
        client = new SQSClient(common(region));
        sqsClients.set(region, client);
      }
      return client;
    },
  };
}

/** The region in an SQS queue URL (`https://sqs.eu-west-1.amazonaws.com/...`), if it names one. */
export function regionOfQueueUrl(url: string): string | undefined {
  return /\bsqs\.([a-z]{2}(?:-[a-z]+)+-\d)\./.exec(url)?.[1];
}
