import type { E2ESelectorGroups } from '@grafana/plugin-e2e';
import type { Page } from '@playwright/test';
import type { Backfill, SourceStatus } from '../../src/shared/backfill';
import { testIds } from '../../src/components/testIds';
import { expect, sidecarApi, test } from './fixtures';

// Flows 3 and 6 in a real Grafana, over the bucket of a source that already has events (the
// demo's): its objects are in the ledger, so a backfill of them runs through and skips them.

async function chooseSourceAndRange(page: Page, selectors: E2ESelectorGroups, source: SourceStatus, from: string, to: string) {
  await page.getByTestId(testIds.backfillForm.source).click();
  await page.getByRole('option', { name: new RegExp(`^${source.source.id} `) }).click();
  await page.getByTestId(testIds.backfillForm.range).getByRole('button').first().click();
  await page.getByTestId(selectors.components.TimePicker.fromField).fill(from);
  await page.getByTestId(selectors.components.TimePicker.toField).fill(to);
  await page.getByTestId(selectors.components.TimePicker.applyTimeRange).click();
}

async function newestBackfill(sourceId: string, after: string[]): Promise<Backfill> {
  for (let i = 0; i < 50; i++) {
    const { backfills } = await sidecarApi<{ backfills: Backfill[] }>(`/api/backfills?source=${sourceId}`);
    const started = backfills.find((b) => !after.includes(b.id));
    if (started) {
      return started;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no new backfill of ${sourceId}`);
}

const existing = async (sourceId: string) => (await sidecarApi<{ backfills: Backfill[] }>(`/api/backfills?source=${sourceId}`)).backfills.map((b) => b.id);

test('flow 3: estimates and starts a backfill, and its progress bar reaches done', async ({ gotoLookbackPage, ingestedSource, page, selectors }) => {
  const before = await existing(ingestedSource.source.id);
  const day = ingestedSource.lastEventTime!.slice(0, 10);
  await gotoLookbackPage('/backfills');
  await chooseSourceAndRange(page, selectors, ingestedSource, `${day} 00:00:00`, `${day} 23:59:59`);
  await expect(page.getByTestId(testIds.backfillForm.bucket)).toHaveValue(ingestedSource.source.bucket);

  await page.getByTestId(testIds.backfillForm.estimate).click();
  await expect(page.getByTestId(testIds.backfillForm.estimateResult)).toContainText(/[1-9][\d,]* objects/);

  await page.getByTestId(testIds.backfillForm.start).click();
  await expect(page.getByTestId(testIds.backfillForm.started)).toBeVisible();
  const backfill = await newestBackfill(ingestedSource.source.id, before);
  const card = page.getByTestId(testIds.backfills.item(backfill.id));
  await expect(card.getByText('done', { exact: true })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId(testIds.backfills.progress(backfill.id))).toHaveAttribute('aria-valuenow', '100');
});

test('flow 6: cancels a running backfill', async ({ gotoLookbackPage, ingestedSource, page, selectors }) => {
  const before = await existing(ingestedSource.source.id);
  await gotoLookbackPage('/backfills');
  // The widest range the data has: long enough to be caught running.
  await chooseSourceAndRange(page, selectors, ingestedSource, 'now-30d', 'now');
  await page.getByTestId(testIds.backfillForm.start).click();
  const backfill = await newestBackfill(ingestedSource.source.id, before);
  const card = page.getByTestId(testIds.backfills.item(backfill.id));
  await page.getByTestId(testIds.backfills.cancel(backfill.id)).click();
  await page.getByRole('button', { name: 'Cancel backfill' }).click();
  await expect(card.getByText('cancelled', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect((await sidecarApi<Backfill>(`/api/backfills/${backfill.id}`)).state).toBe('cancelled');
});
