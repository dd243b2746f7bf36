import type { Source } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import type { LookbackConfig } from '../config/types';
import type { QueueBinding } from '../ingest/queues';
import type { Logger } from '../log';
import type { Store } from '../store/store';

/** What the API routes read from. */
export interface ApiContext {
  config: LookbackConfig;
  store: Store;
  aws: AwsClients;
  log: Logger;
  sources: () => Source[];
  queues: () => QueueBinding[];
  version: string;
}
