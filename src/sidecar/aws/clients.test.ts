import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from './clients';

interface Sent {
  hostname: string;
  port?: number;
  signed: boolean;
}

/** Replaces the client's HTTP handler: records where each request would have gone, and fails it. */
function capture(client: { config: { requestHandler: unknown } }): Sent[] {
  const sent: Sent[] = [];
  client.config.requestHandler = {
    handle: async (request: { hostname: string; port?: number; headers: Record<string, string> }) => {
      sent.push({ hostname: request.hostname, port: request.port, signed: Boolean(request.headers.authorization) });
      throw Object.assign(new Error('captured'), { $metadata: {} });
    },
  };
  return sent;
}

const keys = { accessKeyId: 'AKIAEXAMPLEKEYID', secretAccessKey: 'secret' };

describe('the AWS clients never call a host that is neither AWS nor the configured endpoint', () => {
  it('SQS: a queue URL does not choose the host', async () => {
    const sqs = createAwsClients({ region: 'us-east-1', ...keys }).sqs('us-east-1');
    const sent = capture(sqs as never);
    await expect(
      sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: 'http://127.0.0.1:8193/123456789012/trap',
          AttributeNames: ['QueueArn'],
        })
      )
    ).rejects.toThrow();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((s) => s.hostname === 'sqs.us-east-1.amazonaws.com')).toBe(true);
  });

  it('SQS with an endpoint: every call goes to the endpoint', async () => {
    const sqs = createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' }).sqs('us-east-1');
    const sent = capture(sqs as never);
    await expect(
      sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: 'http://10.1.2.3:8193/000000000000/trap',
          AttributeNames: ['QueueArn'],
        })
      )
    ).rejects.toThrow();
    expect(sent.every((s) => s.hostname === '127.0.0.1' && s.port === 4566)).toBe(true);
  });

  it('S3: a request that would leave AWS, whatever pointed it there, is refused before signing', async () => {
    const s3 = createAwsClients({ region: 'us-east-1', ...keys }).s3('us-east-1');
    const sent = capture(s3 as never);
    // Stands for anything upstream (a region, a bucket name) that would put another host in the request.
    s3.middlewareStack.add(
      (next) => async (args) => {
        Object.assign(args.request as object, { hostname: '127.0.0.1', port: 8193 });
        return next(args);
      },
      { step: 'build', priority: 'high' }
    );
    await expect(s3.send(new HeadBucketCommand({ Bucket: 'logs' }))).rejects.toThrow(/refused to send HeadBucketCommand to .*not an AWS endpoint/);
    expect(sent).toEqual([]);
  });
});
