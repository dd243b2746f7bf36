import type { AddressInfo } from 'node:net';
import { createApiContext } from './api/context';
import { buildApi } from './api/server';
import { resolveApiToken } from './api/auth';
import { createAwsClients } from './aws/clients';
import type { LookbackConfig } from './config/types';
import { Consumer } from './ingest/consumer';
import { callableBindings, queueBindings, type QueueBinding } from './queue/bindings';
import type { Logger } from './log';
import { SourceRegistry } from './sources/registry';
import { openStore } from './store/open';
import { restrictToOwner } from './store/permissions';
import type { Store } from './store/store';
import { VERSION } from './version';

export interface RunningSidecar {
  url: string;
  token: string;
  store: Store;
  stop(): Promise<void>;
}

/** Opens the store, starts the queue consumers and the HTTP API. */
export async function startSidecar(config: LookbackConfig, log: Logger): Promise<RunningSidecar> {
  restrictToOwner(config, log);
  const store = await openStore(config, log);
  const aws = createAwsClients(config.aws);
  const registry = new SourceRegistry(store, log);
  await registry.open(config.sources);
  const consumer = new Consumer({ store, aws, log, ingest: config.ingest });
  const { token, created, file } = resolveApiToken(config.apiToken, config.dataDir);
  if (created) {
    process.stderr.write(`\nlookback: generated an API token (saved in ${file}); it is shown this once:\n\n  ${token}\n\n`);
  }
  const api = buildApi(createApiContext({ config, store, aws, log, registry, version: VERSION }), token);
  await api.listen({ host: config.listen.host, port: config.listen.port });
  const address = api.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const refused = (binding: QueueBinding, problem: string) =>
    log.error({ source: binding.source.id, queue: binding.url, reason: problem }, 'queue not polled: its URL is refused');
  const follow = () => consumer.setBindings(callableBindings(queueBindings(registry.list()), config.aws.endpoint, refused));
  registry.onChange(follow);
  follow();
  log.info({ url, store: store.kind, storeAt: store.describe(), sources: registry.list().map((s) => s.id) }, 'sidecar started');

  let stopping: Promise<void> | undefined;
  return {
    url,
    token,
    store,
    stop() {
      stopping ??= (async () => {
        log.info('stopping: no more receives, finishing in-flight messages');
        registry.close();
        await consumer.stop();
        await api.close();
        await store.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
