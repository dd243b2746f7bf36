import type { E2ESelectorGroups, ExplorePage } from '@grafana/plugin-e2e';
import type { QueryResponse } from '../../src/shared/query';
import { testIds } from '../../src/components/testIds';
import { e2eEnv } from './env';
import { expect, sidecarApi, test, typeInMonaco } from './fixtures';

// The data source in a real Grafana: "Save & test" on its settings page, then flows 4 and 5 in
// Explore over the events the sidecar holds (the demo's under docker compose).

test('the data source settings: "Save & test" reaches the sidecar', async ({ gotoDataSourceConfigPage, page }) => {
  const configPage = await gotoDataSourceConfigPage(e2eEnv.dataSourceUid);
  await expect(page.getByTestId(testIds.configEditor.sidecarUrl)).toHaveValue(e2eEnv.sidecarUrlForGrafana);
  // A frontend data source: its health check is the sidecar's, through the data source proxy.
  await expect(configPage.saveAndTest({ path: `/api/datasources/proxy/uid/${e2eEnv.dataSourceUid}/sidecar/api/health` })).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: /Connected to Lookback sidecar/ });
});

test.describe('Explore', () => {
  test.beforeEach(async ({ explorePage, ingestedSource }) => {
    await explorePage.datasource.set(e2eEnv.dataSourceName);
    const day = ingestedSource.lastEventTime!.slice(0, 10);
    await explorePage.timeRange.set({ from: `${day} 00:00:00`, to: `${day} 23:59:59` });
  });

  const editor = (explorePage: ExplorePage) => explorePage.getQueryEditorRow('A').getByTestId(testIds.queryEditor.container);
  const format = (explorePage: ExplorePage, label: string) => editor(explorePage).getByRole('radio', { name: label, exact: true }).check();
  const run = (explorePage: ExplorePage, selectors: E2ESelectorGroups) =>
    explorePage.getByGrafanaSelector(selectors.components.RefreshPicker.runButtonV2).click();

  test('flow 4: a logs query shows log lines and the log volume', async ({ explorePage, page, selectors }) => {
    await typeInMonaco(page, editor(explorePage), 'CloudTrail');
    await format(explorePage, 'Logs');
    await run(explorePage, selectors);
    const logs = explorePage.getByGrafanaSelector(selectors.components.Panels.Panel.title('Logs'), { startsWith: true });
    await expect(logs).toBeVisible();
    await expect(logs).toContainText('"eventVersion"');
    await expect(page.getByText('Logs volume')).toBeVisible();
  });

  test('flow 4: a table query shows its rows', async ({ explorePage, page, selectors, ingestedSource }) => {
    const query = 'CloudTrail | summarize calls = count() by eventName | top 5 by calls';
    const day = ingestedSource.lastEventTime!.slice(0, 10);
    const expected = await sidecarApi<QueryResponse>('/api/query', {
      method: 'POST',
      body: JSON.stringify({ query, from: `${day}T00:00:00Z`, to: `${day}T23:59:59Z` }),
    });
    await typeInMonaco(page, editor(explorePage), query);
    await format(explorePage, 'Table');
    await run(explorePage, selectors);
    await expect(explorePage.tablePanel.fieldNames).toContainText(['eventName', 'calls']);
    await expect(explorePage.tablePanel.data).toContainText(expected.rows.map(([eventName]) => String(eventName)));
  });

  test('flow 4: a time series query draws one series per group', async ({ explorePage, page, selectors }) => {
    await typeInMonaco(page, editor(explorePage), 'events | summarize count() by bin(time, $__interval), logType');
    await format(explorePage, 'Time series');
    await run(explorePage, selectors);
    await expect(explorePage.timeSeriesPanel.locator).toBeVisible();
    await expect(explorePage.timeSeriesPanel.locator).toContainText('cloudtrail');
  });

  test("flow 5: a bad query shows the compiler's error at its position", async ({ explorePage, page, selectors }) => {
    await typeInMonaco(page, editor(explorePage), 'CloudTrail\n| wher outcome == "failure"');
    await run(explorePage, selectors);
    await expect(editor(explorePage).getByTestId(testIds.queryEditor.error)).toContainText(/^line 2, column 3: /);
    await expect(editor(explorePage).locator('.squiggly-error').first()).toBeVisible();
  });
});
