import type { Source } from '../../shared/api';
import { regionOfQueueUrl } from '../aws/clients';
import { queueUrlProblem } from '../aws/endpoints';

export type QueueKind = 'live' | 'backfill';

export interface QueueBinding {
  source: Source;
  url: string;
  kind: QueueKind;
  region: string;
}

/** Every queue the sidecar consumes, from its sources. */
export function queueBindings(sources: Source[]): QueueBinding[] {
  const bindings: QueueBinding[] = [];
  for (const source of sources) {
    if (source.liveQueueUrl) {
      bindings.push({ source, url: source.liveQueueUrl, kind: 'live', region: regionOfQueueUrl(source.liveQueueUrl) ?? source.region });
    }
    if (source.backfillQueueUrl) {
      bindings.push({
        source,
        url: source.backfillQueueUrl,
        kind: 'backfill',
        region: regionOfQueueUrl(source.backfillQueueUrl) ?? source.region,
      });
    }
  }
  return bindings;
}

/**
 * The bindings whose queue URL may be called: a stored source written before queue URLs were
 * checked, or by a sidecar with another endpoint, is not polled; `refused` hears why.
 */
export function callableBindings(
  bindings: QueueBinding[],
  endpoint: string | undefined,
  refused: (binding: QueueBinding, problem: string) => void
): QueueBinding[] {
  return bindings.filter((binding) => {
    const problem = queueUrlProblem(binding.url, endpoint);
    if (problem) {
      refused(binding, problem);
    }
    return !problem;
  });
}
