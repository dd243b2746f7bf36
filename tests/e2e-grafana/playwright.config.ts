import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The same flows as tests/browser, against a real Grafana with the built plugin (for example
// `docker compose up`; see README.md). Run with `npm run e2e:grafana`.

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'e2e-grafana');
/** Debian's Chromium where there is one (browser downloads are not possible everywhere); else Playwright's. */
const chromium = process.env.LOOKBACK_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig<PluginOptions>({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  // The flows share one Grafana and one sidecar, and some change their settings: one at a time.
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  outputDir: join(ARTIFACTS, 'results'),
  reporter: [['list'], ['html', { outputFolder: join(ARTIFACTS, 'report'), open: 'never' }]],
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: chromium ? { executablePath: chromium } : {},
  },
  projects: [
    // Logs in to Grafana once and keeps the cookie in playwright/.auth/admin.json.
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1440, height: 900 }, storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
