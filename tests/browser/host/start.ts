// Starts the test host by hand, to look at the plugin in a browser while writing a flow:
//   npm run build && npx ts-node -P tsconfig.json tests/browser/host/start.ts
// An emulator and a sidecar with a generated day of logs (2026-11-01, ingested live), the app
// and the data source configured; prints the pages' URLs and runs until Ctrl-C.
import type { CountResponse } from '../../../src/shared/api';
import { eventually } from '../../integration/harness/processes';
import { generatedSource, notifyAll, type GeneratedSource } from '../support/buckets';
import { startEnvironment } from '../support/environment';
import { APP_PLUGIN_ID, DATASOURCE_UID } from './bootData';

async function main(): Promise<void> {
  let shop: GeneratedSource | undefined;
  const env = await startEnvironment({
    name: 'by-hand',
    sources: async (endpoint) => {
      shop = await generatedSource(endpoint, 'shop', {
        end: '2026-11-02T00:00:00Z',
        days: 1,
        accounts: 1,
        regions: ['us-east-1'],
        targetEvents: 5000,
        fileMinutes: { cloudtrail: 60, alb: 60, vpcflow: 60 },
      });
      return [shop.source];
    },
  });
  env.provisionApp();
  env.provisionDataSource();
  await notifyAll(env.emulator.endpoint, shop!);
  await eventually(
    async () => ((await env.sidecar.api<CountResponse>('/api/events/count')).body.count === shop!.events ? true : undefined),
    'the events',
    60_000
  );
  const pages = [
    `/a/${APP_PLUGIN_ID}/sources`,
    `/a/${APP_PLUGIN_ID}/backfills`,
    `/plugins/${APP_PLUGIN_ID}?page=configuration`,
    `/connections/datasources/edit/${DATASOURCE_UID}`,
    '/explore',
  ];
  process.stdout.write(`sidecar ${env.sidecar.url} (token ${env.sidecar.token}), ${shop!.events} events\n`);
  for (const path of pages) {
    const url = new URL(path, env.host.url);
    url.searchParams.set('theme', 'dark');
    process.stdout.write(`${url.toString()}\n`);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      env.stop().then(() => process.exit(0));
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
