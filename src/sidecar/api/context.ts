import type { Source } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import type { LookbackConfig } from '../config/types';
import { queueBindings, type QueueBinding } from '../queue/bindings';
import type { Logger } from '../log';
import type { SourceRegistry } from '../sources/registry';
import type { Store } from '../store/store';

/** What the API routes read from. */
export interface ApiContext {
  config: LookbackConfig;
  store: Store;
  aws: AwsClients;
  log: Logger;
  registry: SourceRegistry;
  sources: () => Source[];
  queues: () => QueueBinding[];
  version: string;
}

export function createApiContext(parts: Omit<ApiContext, 'sources' | 'queues'>): ApiContext {
  return { ...parts, sources: () => parts.registry.list(), queues: () => queueBindings(parts.registry.list()) };
}
