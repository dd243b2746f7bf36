import { selectors } from '@grafana/e2e-selectors';
import type { Page } from 'playwright-core';
import type { CountResponse } from '../../src/shared/api';
import type { FieldValuesResponse, QueryResponse } from '../../src/shared/query';
import { testIds } from '../../src/components/testIds';
import { putAndNotify } from '../integration/harness/bucket';
import { eventually } from '../integration/harness/processes';
import { DATASOURCE_UID } from './host/bootData';
import { hostTestIds } from './host/testIds';
import { generatedSource, notifyAll, type GeneratedSource } from './support/buckets';
import { newHostPage, openHostPage, screenshot, step, THEMES, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(120_000);

const FROM = Date.parse('2026-11-01T00:00:00Z');
const TO = Date.parse('2026-11-02T00:00:00Z');
const EDIT_PAGE = `/connections/datasources/edit/${DATASOURCE_UID}`;

interface FrameSummary {
  length: number;
  fields: string[];
  type?: string;
  preferredVisualisationType?: string;
}

function explorePath(query: string, format: string): string {
  const panes = { a: { datasource: DATASOURCE_UID, queries: [{ refId: 'A', query, format }], range: { from: String(FROM), to: String(TO) } } };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

// The nested data source in the host's Explore and on its settings page, against a sidecar that
// ingested a generated day of CloudTrail, ALB and VPC flow logs through the live path.
describe('the data source: settings, and flows 4 and 5 in Explore', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;
  let page: Page;
  let shop: GeneratedSource;

  beforeAll(async () => {
    env = await startEnvironment({
      name: 'datasource',
      sources: async (endpoint) => {
        shop = await generatedSource(endpoint, 'shop', {
          end: new Date(TO).toISOString(),
          days: 1,
          accounts: 1,
          regions: ['us-east-1'],
          targetEvents: 5000,
          fileMinutes: { cloudtrail: 60, alb: 60, vpcflow: 60 },
        });
        return [shop.source];
      },
    });
    await notifyAll(env.emulator.endpoint, shop);
    await eventually(
      async () => {
        const { body } = await env.sidecar.api<CountResponse>('/api/events/count?source=shop');
        return body.count === shop.events ? true : undefined;
      },
      `${shop.events} events ingested`,
      60_000
    );
    hp = await newHostPage(env.browser);
    page = hp.page;
  });

  afterAll(async () => {
    await env?.stop();
  });

  const state = () => page.getByTestId(hostTestIds.explore.state);

  async function framesOf(): Promise<FrameSummary[]> {
    return JSON.parse((await state().getAttribute('data-frames')) ?? '[]') as FrameSummary[];
  }

  /** Types into the pipeline editor (Monaco) the way a user does, replacing what is there. */
  async function typeQuery(text: string): Promise<void> {
    await page.getByTestId(testIds.queryEditor.container).locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
    await page.keyboard.press('Escape');
  }

  async function chooseFormat(label: 'Logs' | 'Table' | 'Time series'): Promise<void> {
    await page.getByTestId(testIds.queryEditor.container).getByRole('radio', { name: label, exact: true }).check();
  }

  /** Clicks Explore's run button and waits for that run's answer. */
  async function runQuery(): Promise<void> {
    const before = Number(await state().getAttribute('data-runs'));
    await page.getByTestId(selectors.components.RefreshPicker.runButtonV2).click();
    // Evaluated in the page (as text: this file is typed for Node).
    await page.waitForFunction(
      `(() => { const el = document.querySelector('[data-testid="${hostTestIds.explore.state}"]');` +
        ` return Number(el?.getAttribute('data-runs')) > ${before} && el?.getAttribute('data-state') !== 'Loading'; })()`
    );
  }

  async function sidecarQuery(query: string): Promise<QueryResponse> {
    const { body } = await env.sidecar.api<QueryResponse>('/api/query', {
      method: 'POST',
      body: JSON.stringify({ query, from: new Date(FROM).toISOString(), to: new Date(TO).toISOString() }),
    });
    return body;
  }

  describe('settings page', () => {
    beforeEach(() => {
      env.host.state.updateDataSource(DATASOURCE_UID, { jsonData: {}, secureJsonData: { apiToken: '' } });
    });

    it('"Save & test" names what is wrong with a bad token', async () => {
      await step(hp, 'ds-config-wrong-token', async () => {
        await openHostPage(hp, env.host.url, EDIT_PAGE, 'dark');
        await page.getByTestId(testIds.configEditor.sidecarUrl).fill(env.sidecar.url);
        await page.getByTestId(testIds.configEditor.apiToken).fill('not-the-token');
        await page.getByTestId(selectors.pages.DataSource.saveAndTest).click();
        const alert = page.getByTestId(selectors.pages.DataSource.alert).getByTestId(selectors.components.Alert.alertV2('error'));
        // Grafana's data source proxy turns the sidecar's 401 into a 400 "Authentication to data source failed".
        await alert
          .getByText(/the sidecar rejected the API token \(Grafana says "Authentication to data source failed"\)/)
          .first()
          .waitFor();
      });
      const proxied = env.host.requests.filter((r) => r.path.includes(`/api/datasources/proxy/uid/${DATASOURCE_UID}/sidecar/`));
      expect(proxied.at(-1)).toMatchObject({ status: 400 });
      expect(hp.pageErrors).toEqual([]);
    });

    it.each(THEMES)('saves the sidecar URL and token and tests the connection in the %s theme', async (theme) => {
      await step(hp, `ds-config-${theme}`, async () => {
        await openHostPage(hp, env.host.url, EDIT_PAGE, theme);
        // With a trailing slash, as people paste URLs: saved without it (routes append /api/...).
        await page.getByTestId(testIds.configEditor.sidecarUrl).fill(`${env.sidecar.url}/`);
        await page.getByTestId(testIds.configEditor.apiToken).fill(env.sidecar.token);
        await page.getByTestId(selectors.pages.DataSource.saveAndTest).click();
        await page
          .getByTestId(selectors.pages.DataSource.alert)
          .getByText(/Connected to Lookback sidecar/)
          .waitFor();
        await screenshot(page, `datasource-settings-${theme}`);
      });
      const stored = env.host.state.dataSource(DATASOURCE_UID);
      expect(stored.jsonData.sidecarUrl).toBe(env.sidecar.url);
      expect(stored.secureJsonData).toEqual({ apiToken: env.sidecar.token });
      expect(hp.pageErrors).toEqual([]);
    });
  });

  describe.each(THEMES)('Explore in the %s theme', (theme) => {
    beforeAll(() => env.provisionDataSource());

    it('flow 4: a logs query shows the log lines and the log volume', async () => {
      const expected = (await sidecarQuery('CloudTrail | count')).rows[0][0] as number;
      await step(hp, `explore-logs-${theme}`, async () => {
        await openHostPage(hp, env.host.url, explorePath('', 'logs'), theme);
        await typeQuery('CloudTrail');
        await chooseFormat('Logs');
        await runQuery();
        const [frame] = await framesOf();
        expect(frame.preferredVisualisationType).toBe('logs');
        expect(frame.fields).toEqual(expect.arrayContaining(['timestamp:time', 'body:string', 'severity:string', 'id:string']));
        expect(frame.length).toBe(Math.min(expected, 1000));
        await page
          .getByTestId(hostTestIds.explore.logRow)
          .nth(frame.length - 1)
          .waitFor();
        expect(await page.getByTestId(hostTestIds.explore.logRow).count()).toBe(frame.length);
        // The volume counts every CloudTrail event of the range, not just the lines shown.
        expect(Number(await state().getAttribute('data-volume-total'))).toBe(expected);
        await page.getByTestId(hostTestIds.explore.logVolumePanel).locator('canvas').first().waitFor();
        await screenshot(page, `explore-logs-${theme}`);
      });
      expect(hp.pageErrors).toEqual([]);
    });

    it('flow 4: a table query shows its rows', async () => {
      const query = 'CloudTrail | summarize calls = count() by eventName | top 5 by calls';
      const expected = await sidecarQuery(query);
      await step(hp, `explore-table-${theme}`, async () => {
        await openHostPage(hp, env.host.url, explorePath('', 'table'), theme);
        await typeQuery(query);
        await chooseFormat('Table');
        await runQuery();
        const [frame] = await framesOf();
        expect(frame.fields).toEqual(['eventName:string', 'calls:number']);
        expect(frame.length).toBe(5);
        const table = page.getByTestId(hostTestIds.explore.tablePanel);
        for (const [eventName, calls] of expected.rows) {
          await table.getByText(String(eventName), { exact: true }).first().waitFor();
          await table.getByText(String(calls), { exact: true }).first().waitFor();
        }
        await screenshot(page, `explore-table-${theme}`);
      });
      expect(hp.pageErrors).toEqual([]);
    });

    it('flow 4: a time series query draws one series per group', async () => {
      await step(hp, `explore-timeseries-${theme}`, async () => {
        await openHostPage(hp, env.host.url, explorePath('', 'timeseries'), theme);
        await typeQuery('events | summarize count() by bin(time, $__interval), logType');
        await chooseFormat('Time series');
        await runQuery();
        const frames = await framesOf();
        expect(frames.length).toBe(3);
        frames.forEach((f) => expect(f.fields).toEqual(['time:time', expect.stringMatching(/:number$/)]));
        const graph = page.getByTestId(hostTestIds.explore.graphPanel);
        await graph.locator('canvas').first().waitFor();
        for (const logType of ['cloudtrail', 'alb', 'vpcflow']) {
          await graph.getByText(logType, { exact: false }).first().waitFor();
        }
        await screenshot(page, `explore-timeseries-${theme}`);
      });
      expect(hp.pageErrors).toEqual([]);
    });

    it("flow 5: a bad query shows the compiler's error at its position", async () => {
      await step(hp, `explore-error-${theme}`, async () => {
        await openHostPage(hp, env.host.url, explorePath('', 'logs'), theme);
        await typeQuery('CloudTrail\n| wher outcome == "failure"');
        await runQuery();
        const error = page.getByTestId(testIds.queryEditor.error);
        await error.getByText(/^line 2, column 3: /).waitFor();
        // Monaco underlines the word where the compiler stopped.
        await page.getByTestId(testIds.queryEditor.container).locator('.squiggly-error').first().waitFor();
        expect(await framesOf()).toEqual([]);
        await screenshot(page, `explore-error-${theme}`);
      });
      expect(hp.pageErrors).toEqual([]);
    });
  });

  // Last: these add an event of a fourth log type and stop the sidecar for a while.
  describe("through Grafana's data source proxy", () => {
    beforeAll(() => env.provisionDataSource());

    it('gives the values of a field whose name has a space and a slash through the proxy, escaped once', async () => {
      const range = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;
      await putAndNotify(
        env.emulator.endpoint,
        shop.topicArn,
        shop.source.bucket,
        'custom/2026/11/01/app.json',
        JSON.stringify({ time: '2026-11-01T12:00:00Z', 'a b/c': 'spaced value', message: 'hello' })
      );
      await eventually(
        async () => {
          const { body } = await env.sidecar.api<FieldValuesResponse>(`/api/fields/values?field=${encodeURIComponent('a b/c')}&${range}`);
          return body.values?.length ? true : undefined;
        },
        'the event with the field "a b/c"',
        60_000
      );
      const before = env.host.requests.length;
      // What the data source asks for (the field's name in the query string), through Grafana's data source proxy as the page would.
      await openHostPage(hp, env.host.url, explorePath('', 'logs'), 'dark');
      const answer = await page.evaluate(
        async ({ url, field, range }) => {
          const res = await fetch(`${url}?field=${encodeURIComponent(field)}&${range}`);
          return { status: res.status, body: (await res.json()) as FieldValuesResponse };
        },
        { url: `/api/datasources/proxy/uid/${DATASOURCE_UID}/sidecar/api/fields/values`, field: 'a b/c', range }
      );
      expect(answer.status).toBe(200);
      expect(answer.body.values.map((v) => v.value)).toEqual(['spaced value']);
      const calls = (await env.host.answeredSince(before)).filter((r) => r.path.includes('/sidecar/api/fields/values'));
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((r) => r.status === 200 && /[?&]field=a(%20|\+)b%2Fc(&|$)/.test(r.forwardedTo ?? ''))).toBe(true);
      expect(hp.pageErrors).toEqual([]);
    });

    it("says a search outlasted Grafana's data proxy timeout, and which setting to raise", async () => {
      const pid = env.sidecar.proc.pid!;
      env.host.state.dataProxyTimeoutMs = 2000;
      try {
        await step(hp, 'explore-proxy-timeout', async () => {
          await openHostPage(hp, env.host.url, explorePath('', 'table'), 'dark');
          await typeQuery('CloudTrail | count');
          // A sidecar that does not answer (stopped, like one busy past the timeout).
          process.kill(pid, 'SIGSTOP');
          await runQuery();
          const error = page.getByTestId(testIds.queryEditor.error);
          await error.getByText(/the sidecar did not answer within Grafana's data proxy timeout \(HTTP 504\)/).waitFor();
          await error.getByText(/raise \[dataproxy\] timeout/).waitFor();
          await screenshot(page, 'explore-proxy-timeout-dark');
        });
      } finally {
        process.kill(pid, 'SIGCONT');
        env.host.state.dataProxyTimeoutMs = 30_000;
      }
      expect(hp.pageErrors).toEqual([]);
    });
  });
});
