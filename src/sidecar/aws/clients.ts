import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';
import type { AwsConfig } from '../config/types';
import { isAllowedHost } from './endpoints';

export { regionOfQueueUrl } from './endpoints';

export interface AwsClients {
  /** The configured endpoint override, if any: the only place AWS calls may go besides AWS. */
  readonly endpoint?: string;
  s3(region: string): S3Client;
  sqs(region: string): SQSClient;
}

export class ForbiddenHostError extends Error {}

/**
 * Refuses, before signing, any request to a host that is neither AWS's nor the configured
 * endpoint, whatever put it there (a queue URL, a bucket name, a region from a notification).
 */
export function allowOnlyAwsOrEndpoint(client: S3Client | SQSClient, endpoint: string | undefined): void {
  const guard: BuildMiddleware<object, MetadataBearer> = (next, context) => async (args) => {
    const request = args.request as { hostname?: unknown; port?: number };
    if (typeof request.hostname === 'string' && !isAllowedHost(request.hostname, request.port, endpoint)) {
      const where = endpoint ? `the configured endpoint ${new URL(endpoint).origin}` : 'an AWS endpoint';
      throw new ForbiddenHostError(`refused to send ${context.commandName ?? 'a request'} to ${request.hostname}: it is not ${where}`);
    }
    return next(args);
  };
  (client.middlewareStack as { add(mw: BuildMiddleware<object, MetadataBearer>, options: object): void }).add(guard, {
    step: 'build',
    name: 'lookbackAllowedHosts',
    override: true,
  });
}

/**
 * AWS clients per region. With an endpoint override (S3-compatible store, emulator) requests go
 * there, path-style unless told otherwise; without one the SDK's default credential chain applies.
 * SQS never takes its host from a queue URL (`useQueueUrlAsEndpoint: false`): the region (or the
 * endpoint) decides where a call goes.
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
    endpoint: config.endpoint,
    s3(region) {
      let client = s3Clients.get(region);
      if (!client) {
        client = new S3Client({ ...common(region), forcePathStyle: config.forcePathStyle ?? Boolean(config.endpoint) });
        allowOnlyAwsOrEndpoint(client, config.endpoint);
        s3Clients.set(region, client);
      }
      return client;
    },
    sqs(region) {
      let client = sqsClients.get(region);
      if (!client) {
        client = new SQSClient({ ...common(region), useQueueUrlAsEndpoint: false });
        allowOnlyAwsOrEndpoint(client, config.endpoint);
        sqsClients.set(region, client);
      }
      return client;
    },
  };
}
