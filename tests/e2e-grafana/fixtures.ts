import { AppConfigPage, AppPage, test as base } from '@grafana/plugin-e2e';
import type { Locator, Page } from '@playwright/test';
import type { SourceStatus } from '../../src/shared/backfill';
import { e2eEnv } from './env';

export const APP_ID = 'lookback-siem-app';

/** The sidecar's API, called directly with its token, to check what the pages did. */
export async function sidecarApi<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${e2eEnv.sidecarUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${e2eEnv.apiToken}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  if (!response.ok) {
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

/** Types into a Monaco editor the way a user does, replacing its text. */
export async function typeInMonaco(page: Page, editorRoot: Locator, text: string): Promise<void> {
  await editorRoot.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Escape');
}

type LookbackFixtures = {
  appConfigPage: AppConfigPage;
  gotoLookbackPage: (path: string) => Promise<AppPage>;
  /** A source with ingested events (the demo's, under docker compose). */
  ingestedSource: SourceStatus;
};

export const test = base.extend<LookbackFixtures>({
  appConfigPage: async ({ gotoAppConfigPage }, use) => {
    await use(await gotoAppConfigPage({ pluginId: APP_ID, queryParams: new URLSearchParams({ page: 'configuration' }) }));
  },
  gotoLookbackPage: async ({ gotoAppPage }, use) => {
    await use((path) => gotoAppPage({ pluginId: APP_ID, path }));
  },
  // Playwright reads the fixtures a fixture needs from this pattern; this one needs none.
  ingestedSource: async ({}, use) => {
    const sources = await sidecarApi<SourceStatus[]>('/api/sources');
    const source = sources.find((s) => s.lastEventTime !== null);
    if (!source) {
      throw new Error(
        `no source of the sidecar at ${e2eEnv.sidecarUrl} has events yet: start the stack with the demo (docker compose up) and wait for its backfill`
      );
    }
    await use(source);
  },
});

export { expect } from '@grafana/plugin-e2e';
