import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Source } from '../../shared/api';
import { regionOfQueueUrl, type AwsClients } from '../aws/clients';
import { sourceSchema } from '../config/schema';
import { ajvAllErrors, validationErrors, type FieldError } from '../config/validate';
import { errorMessage } from '../log';
import { queueUrlErrors } from './queueUrls';
import { vpcFlowFormatErrors } from './vpcFlowFormat';

const CHECK_TIMEOUT_MS = 5000;
const validateShape = ajvAllErrors.compile(sourceSchema);

/** The shape of a source from the API: every problem, field by field. */
export function shapeErrors(body: unknown): FieldError[] {
  return validateShape(body) ? vpcFlowFormatErrors(body as Source) : validationErrors(validateShape);
}

function awsProblem(err: unknown): string {
  const name = (err as { name?: string }).name ?? '';
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'NotFound' || name === 'NoSuchBucket' || status === 404) {
    return 'does not exist';
  }
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) {
    return "access denied: the sidecar's credentials may not read it";
  }
  if (/NonExistentQueue|QueueDoesNotExist/.test(name)) {
    return 'no such queue';
  }
  return `cannot be reached: ${errorMessage(err) || name}`;
}

/**
 * Whether the bucket and queues a source names really exist and are readable by the sidecar. A
 * queue URL outside AWS's SQS (or the configured endpoint) is refused before anything is sent.
 */
export async function reachabilityErrors(source: Source, aws: AwsClients): Promise<FieldError[]> {
  const refused = queueUrlErrors(source, aws.endpoint);
  const checks: Array<Promise<FieldError | undefined>> = [
    aws
      .s3(source.region)
      .send(new HeadBucketCommand({ Bucket: source.bucket }), { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) })
      .then(
        () => undefined,
        (err) => ({ field: 'bucket', message: `bucket "${source.bucket}" ${awsProblem(err)}` })
      ),
  ];
  for (const field of ['liveQueueUrl', 'backfillQueueUrl'] as const) {
    const url = source[field];
    if (url && !refused.some((e) => e.field === field)) {
      checks.push(
        aws
          .sqs(regionOfQueueUrl(url) ?? source.region)
          .send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }), { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) })
          .then(
            () => undefined,
            (err) => ({ field, message: `queue ${awsProblem(err)}` })
          )
      );
    }
  }
  const reached = (await Promise.all(checks)).filter((e): e is FieldError => e !== undefined);
  return [...reached, ...refused];
}
