import { APP_PLUGIN_ID } from './host/bootData';
import { CLIENT_CLOSED_REQUEST } from './host/server';
import { hostTestIds } from './host/testIds';
import { newHostPage, openHostPage, step, THEMES, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(60_000);

// The test host itself: Grafana's proxy applied to the built plugin.json, the built module
// loaded with the shared modules, a page rendered from it against the real sidecar.
describe('the browser test host', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;

  beforeAll(async () => {
    env = await startEnvironment({ name: 'host' });
    hp = await newHostPage(env.browser);
  });

  afterAll(async () => {
    await env?.stop();
  });

  const proxied = (path: string) =>
    hp.page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    }, path);

  it('applies the app route of plugin.json: URL from jsonData, token from secureJsonData', async () => {
    await openHostPage(hp, env.host.url, `/plugins/${APP_PLUGIN_ID}`, 'dark');
    // Each call has its own query string, so its log entry is found among the page's own calls.
    const logOf = (path: string) => env.host.requests.find((r) => r.path === path);
    const unconfigured = await proxied(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources?limit=1`);
    // What Grafana answers when the route's URL renders to nothing usable: an empty bad gateway.
    expect(unconfigured).toEqual({ status: 502, body: '' });
    expect(logOf(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources?limit=1`)?.error).toMatch(/no usable URL: "<no value>"/);

    env.host.state.updatePluginSettings(APP_PLUGIN_ID, { jsonData: { sidecarUrl: env.sidecar.url }, secureJsonData: { apiToken: 'wrong-token' } });
    const wrongToken = await proxied(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources?limit=2`);
    expect(wrongToken.status).toBe(401);
    expect(JSON.parse(wrongToken.body).message).toMatch(/API token/);

    env.provisionApp();
    const ok = await proxied(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources?limit=5`);
    expect(ok).toEqual({ status: 200, body: '[]' });
    expect(logOf(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/api/sources?limit=5`)).toMatchObject({
      status: 200,
      forwardedTo: `${env.sidecar.url}/api/sources?limit=5`,
    });
  });

  it('never hands the token to the browser', async () => {
    env.provisionApp();
    const settings = await proxied(`/api/plugins/${APP_PLUGIN_ID}/settings`);
    expect(JSON.parse(settings.body)).toMatchObject({ jsonData: { sidecarUrl: env.sidecar.url }, secureJsonFields: { apiToken: true } });
    expect(settings.body).not.toContain(env.sidecar.token);
    const page = await proxied(`/a/${APP_PLUGIN_ID}/status`);
    expect(page.body).not.toContain(env.sidecar.token);
  });

  it.each(THEMES)('renders the built app root page in the %s theme, calling the sidecar through the proxy', async (theme) => {
    env.provisionApp();
    const before = env.host.requests.length;
    await step(hp, `host-app-root-${theme}`, async () => {
      await openHostPage(hp, env.host.url, `/a/${APP_PLUGIN_ID}/`, theme);
      await hp.page.locator('main').getByText('Sidecar', { exact: false }).first().waitFor();
      // A call the previous page made just before it was left is cut off by the navigation, not failed by the proxy.
      const proxied = (await env.host.answeredSince(before)).filter(
        (r) => r.path.startsWith(`/api/plugin-proxy/${APP_PLUGIN_ID}/sidecar/`) && r.status !== CLIENT_CLOSED_REQUEST
      );
      expect(proxied.length).toBeGreaterThan(0);
      expect(proxied.every((r) => r.status === 200 && r.forwardedTo?.startsWith(env.sidecar.url))).toBe(true);
      const background = await hp.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      // Grafana 13's canvas colours.
      expect(background).toBe(theme === 'dark' ? 'rgb(17, 18, 23)' : 'rgb(251, 251, 251)');
      expect(await hp.page.getByTestId(hostTestIds.chrome.pageTitle).first().textContent()).toBeTruthy();
    });
    expect(hp.pageErrors).toEqual([]);
  });
});
