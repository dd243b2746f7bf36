import type { Source } from '../../shared/api';
import { regionOfQueueUrl } from '../aws/clients';

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
