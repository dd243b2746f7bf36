import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Source } from '../../../src/shared/api';
import {
  removeDir,
  ROOT,
  startEmulatorProcess,
  startSidecarProcess,
  tempDir,
  type EmulatorProcess,
  type SidecarProcess,
} from '../../integration/harness/processes';
import { APP_PLUGIN_ID, DATASOURCE_UID } from '../host/bootData';
import { ensureHostBundle } from '../host/bundle';
import { startHost, type Host } from '../host/server';
import { launchChromium } from './browser';

export interface BrowserEnvironment {
  emulator: EmulatorProcess;
  sidecar: SidecarProcess;
  host: Host;
  browser: Browser;
  /** What provisioning/plugins/ would do: the app pointed at the sidecar, with its token. */
  provisionApp(): void;
  /** What provisioning/datasources/ would do for the Lookback data source. */
  provisionDataSource(): void;
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  /** Names the temporary data folder. */
  name: string;
  /** Creates what the sidecar's config file should list, in the running emulator. */
  sources?: (endpoint: string) => Promise<Source[]>;
  sidecarEnv?: Record<string, string>;
}

export const DIST = join(ROOT, 'dist');

/** A real emulator and sidecar as processes, the test host in front of them, and Chromium. */
export async function startEnvironment(options: EnvironmentOptions): Promise<BrowserEnvironment> {
  if (!existsSync(join(DIST, 'module.js'))) {
    throw new Error('the browser tests load the built plugin: run `npm run build:plugin` first (npm test does)');
  }
  const dataDir = tempDir(`browser-${options.name}`);
  const started: Array<{ stop(): Promise<unknown> }> = [];
  try {
    const [bundleDir, browser, emulator] = await Promise.all([ensureHostBundle(), launchChromium(), startEmulatorProcess()]);
    started.push({ stop: () => browser.close() }, emulator);
    const sources = options.sources ? await options.sources(emulator.endpoint) : [];
    const sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources, dataDir, env: options.sidecarEnv });
    started.push(sidecar);
    const host = await startHost({ distDir: DIST, bundleDir });
    started.push({ stop: () => host.close() });
    return {
      emulator,
      sidecar,
      host,
      browser,
      provisionApp: () =>
        host.state.updatePluginSettings(APP_PLUGIN_ID, { jsonData: { sidecarUrl: sidecar.url }, secureJsonData: { apiToken: sidecar.token } }),
      provisionDataSource: () => {
        host.state.updateDataSource(DATASOURCE_UID, { jsonData: { sidecarUrl: sidecar.url }, secureJsonData: { apiToken: sidecar.token } });
      },
      stop: async () => {
        for (const part of started.reverse()) {
          await part.stop().catch(() => undefined);
        }
        removeDir(dataDir);
      },
    };
  } catch (err) {
    for (const part of started.reverse()) {
      await part.stop().catch(() => undefined);
    }
    removeDir(dataDir);
    throw err;
  }
}
