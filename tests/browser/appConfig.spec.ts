import { testIds } from '../../src/components/testIds';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { APP_PLUGIN_ID } from './host/bootData';
import { newHostPage, openHostPage, screenshot, step, THEMES, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(90_000);

const CONFIG_PAGE = `/plugins/${APP_PLUGIN_ID}?page=configuration`;

// Flow 1: an admin points the app at the sidecar, saves, and tests the connection.
describe('flow 1: configure the app and test the connection', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;
  const bodies: string[] = [];

  beforeAll(async () => {
    env = await startEnvironment({
      name: 'app-config',
      sources: async (endpoint) => [(await createDevSource({ endpoint, id: 'cloudtrail', bucket: 'trail-logs', logType: 'cloudtrail' })).source],
    });
    hp = await newHostPage(env.browser);
    hp.page.on('response', (response) => {
      response
        .text()
        .then((text) => bodies.push(text))
        .catch(() => undefined);
    });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('saves the sidecar URL and token, reports the connection, and keeps the token out of the browser', async () => {
    const { page } = hp;
    const url = page.getByTestId(testIds.appConfig.sidecarUrl);
    const token = page.getByTestId(testIds.appConfig.apiToken);
    const save = page.getByTestId(testIds.appConfig.submit);
    const result = page.getByTestId(testIds.appConfig.result);

    await step(hp, 'config-open-unconfigured', async () => {
      await openHostPage(hp, env.host.url, CONFIG_PAGE, 'dark');
      await url.waitFor();
      expect(await save.isDisabled()).toBe(true);
      await screenshot(page, 'app-config-unconfigured-dark');
    });

    await step(hp, 'config-reject-bad-url', async () => {
      await url.fill('lookback:8089');
      await token.fill('wrong-token');
      await page.getByText('An http:// or https:// URL').waitFor();
      expect(await save.isDisabled()).toBe(true);
    });

    await step(hp, 'config-wrong-token', async () => {
      await url.fill(env.sidecar.url);
      await save.click();
      await result.getByText('Not connected').waitFor();
      await result.getByText(/token/i).first().waitFor();
      expect(env.host.state.plugin(APP_PLUGIN_ID).secureJsonData.apiToken).toBe('wrong-token');
    });

    await step(hp, 'config-right-token', async () => {
      // Pasted with a trailing slash: saved without it, since the routes append /api/... to it.
      await url.fill(`${env.sidecar.url}/`);
      await page.getByRole('button', { name: 'Reset' }).click();
      await token.fill(env.sidecar.token);
      await save.click();
      await result.getByText('Connected', { exact: true }).waitFor();
      await result.getByText(/Connected to Lookback sidecar \d+\.\d+\.\d+/).waitFor();
      await result.getByText(/source cloudtrail: cloudtrail from s3:\/\/trail-logs\//).waitFor();
      const stored = env.host.state.plugin(APP_PLUGIN_ID);
      expect(stored.jsonData).toEqual({ sidecarUrl: env.sidecar.url });
      expect(stored.secureJsonData).toEqual({ apiToken: env.sidecar.token });
    });

    await step(hp, 'config-test-again', async () => {
      const before = env.host.requests.length;
      // Listen before clicking: the proxied call can answer before a listener added afterwards.
      const answered = page.waitForResponse((r) => r.url().includes(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources`));
      await page.getByTestId(testIds.appConfig.test).click();
      await answered;
      await result.getByText(/Connected to Lookback sidecar/).waitFor();
      const calls = (await env.host.answeredSince(before)).filter((r) => r.path.includes('/sidecar/'));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((r) => r.status === 200 && r.forwardedTo?.startsWith(env.sidecar.url))).toBe(true);
    });

    // The token went in through a form field and out only through the proxy route.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.filter((body) => body.includes(env.sidecar.token))).toEqual([]);
    expect(hp.pageErrors).toEqual([]);
  });

  it.each(THEMES)('shows the configured app with its connection in the %s theme', async (theme) => {
    env.provisionApp();
    await step(hp, `config-configured-${theme}`, async () => {
      await openHostPage(hp, env.host.url, CONFIG_PAGE, theme);
      await hp.page
        .getByTestId(testIds.appConfig.result)
        .getByText(/Connected to Lookback sidecar/)
        .waitFor();
      expect(await hp.page.getByTestId(testIds.appConfig.apiToken).inputValue()).toBe('configured');
      await screenshot(hp.page, `app-config-${theme}`);
    });
    expect(hp.pageErrors).toEqual([]);
  });
});
