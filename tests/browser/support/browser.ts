import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hostTestIds } from '../host/testIds';
import type { ThemeName } from '../host/bootData';

export const CHROMIUM = process.env.LOOKBACK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');
export const THEMES: ThemeName[] = ['light', 'dark'];

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh temporary profile
 * (`--user-data-dir`) of its own, so none is passed here.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run scripts/ensure-chromium.sh (npm run test:browser does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface HostPage {
  page: Page;
  /** Uncaught exceptions in the page: a test ends by expecting none. */
  pageErrors: string[];
  /** console.error lines, printed when a step fails. */
  consoleErrors: string[];
}

export async function newHostPage(browser: Browser): Promise<HostPage & { context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC', locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // A first load compiles the plugin's bundles: on a busy machine it takes longer than any click.
  page.setDefaultNavigationTimeout(60_000);
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(`${msg.text()} (${msg.location().url})`));
  return { context, page, pageErrors, consoleErrors };
}

/** Opens a host page in a theme and waits until the host has booted. */
export async function openHostPage(hp: HostPage, hostUrl: string, path: string, theme: ThemeName): Promise<void> {
  const url = new URL(path, hostUrl);
  url.searchParams.set('theme', theme);
  await hp.page.goto(url.toString());
  await hp.page.waitForSelector(`[data-testid="${hostTestIds.chrome.ready}"], [data-testid="${hostTestIds.chrome.bootError}"]`, { state: 'attached' });
  const bootError = await hp.page
    .getByTestId(hostTestIds.chrome.bootError)
    .textContent({ timeout: 100 })
    .catch(() => null);
  if (bootError) {
    throw new Error(bootError);
  }
}

function fileName(name: string): string {
  return `${name.replace(/[^\w.-]+/g, '-').toLowerCase()}.png`;
}

/** How long a full-page capture may take: on a loaded machine Chromium took over 15 s to paint one. */
const SCREENSHOT_TIMEOUT_MS = 60_000;

/** A full-page screenshot kept as a test artifact under test-artifacts/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, fileName(name));
  await page.screenshot({ path, fullPage: true, animations: 'disabled', timeout: SCREENSHOT_TIMEOUT_MS });
  return path;
}

/**
 * Runs one step of a flow; when it fails, the page as it was is kept as
 * `failed-<step>.png` and named in the error, with the page's errors.
 */
export async function step<T>(hp: HostPage, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const shot = await screenshot(hp.page, `failed-${name}`).catch((e: Error) => `(no screenshot: ${e.message})`);
    const original = err instanceof Error ? err : new Error(String(err));
    const message = [
      `step "${name}" failed: ${original.message}`,
      `screenshot: ${shot}`,
      hp.pageErrors.length ? `page errors:\n${hp.pageErrors.join('\n')}` : '',
      hp.consoleErrors.length ? `console errors:\n${[...new Set(hp.consoleErrors)].slice(-10).join('\n')}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    // Jest prints the stack, which carries the message it was created with.
    const error = new Error(message, { cause: original });
    error.stack = `Error: ${message}\n${(original.stack ?? '')
      .split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n')}`;
    throw error;
  }
}
