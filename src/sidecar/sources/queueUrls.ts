import type { Source } from '../../shared/api';
import { queueUrlProblem } from '../aws/endpoints';
import type { FieldError } from '../config/validate';

/** Queue URLs that are neither AWS's SQS nor on the configured endpoint: nothing is ever sent to them. */
export function queueUrlErrors(source: Pick<Source, 'liveQueueUrl' | 'backfillQueueUrl'>, endpoint: string | undefined, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['liveQueueUrl', 'backfillQueueUrl'] as const) {
    const url = source[field];
    const problem = url === undefined ? undefined : queueUrlProblem(url, endpoint);
    if (problem) {
      errors.push({ field: `${prefix}${field}`, message: problem });
    }
  }
  return errors;
}
