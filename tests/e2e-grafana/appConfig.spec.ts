import { testIds } from '../../src/components/testIds';
import { e2eEnv } from './env';
import { expect, test } from './fixtures';

// Flow 1 in a real Grafana: point the app at the sidecar, save, and test the connection.
test('flow 1: configures the app and tests the connection', async ({ appConfigPage, page }) => {
  const url = page.getByTestId(testIds.appConfig.sidecarUrl);
  const token = page.getByTestId(testIds.appConfig.apiToken);
  const save = page.getByTestId(testIds.appConfig.submit);
  const result = page.getByTestId(testIds.appConfig.result);
  const reset = page.getByRole('button', { name: 'Reset' });

  await url.fill('lookback:8089');
  await expect(page.getByText('An http:// or https:// URL')).toBeVisible();
  await url.fill(e2eEnv.sidecarUrlForGrafana);

  if (await reset.isVisible()) {
    await reset.click();
  }
  await token.fill('not-the-sidecar-token');
  let saved = appConfigPage.waitForSettingsResponse();
  await save.click();
  await expect(saved).toBeOK();
  await expect(result).toContainText('Not connected');
  await expect(result).toContainText(/token/i);

  await reset.click();
  await token.fill(e2eEnv.apiToken);
  saved = appConfigPage.waitForSettingsResponse();
  await save.click();
  await expect(saved).toBeOK();
  await expect(result).toContainText(/Connected to Lookback sidecar \d+\.\d+\.\d+/);

  await page.getByTestId(testIds.appConfig.test).click();
  await expect(result).toContainText(/Connected to Lookback sidecar/);
  await expect(token).toHaveValue('configured');
});
