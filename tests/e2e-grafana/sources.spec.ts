import type { SourceStatus } from '../../src/shared/backfill';
import { testIds } from '../../src/components/testIds';
import { expect, sidecarApi, test } from './fixtures';

// Flow 2 in a real Grafana: a source the sidecar refuses field by field, then one it takes
// (the demo's bucket under another prefix, without queues), removed again at the end.
test('flow 2: adds a source after a validation error, then removes it', async ({ gotoLookbackPage, ingestedSource, page }) => {
  const id = `e2e-${Date.now().toString(36)}`;
  const form = page.getByTestId(testIds.sourceForm.form);
  const field = (name: string) => page.getByTestId(testIds.sourceForm.field(name));

  await gotoLookbackPage('/sources');
  await page.getByTestId(testIds.sources.add).click();
  await field('id').fill('E2E Source');
  await field('bucket').fill('no-such-bucket-for-lookback-e2e');
  await page.getByTestId(testIds.sourceForm.save).click();
  await expect(form.getByText(/must match pattern/)).toBeVisible();

  await field('id').fill(id);
  await page.getByTestId(testIds.sourceForm.save).click();
  await expect(form.getByText('bucket "no-such-bucket-for-lookback-e2e" does not exist')).toBeVisible();

  await field('bucket').fill(ingestedSource.source.bucket);
  await field('region').fill(ingestedSource.source.region);
  await field('prefix').fill('lookback-e2e/');
  await page.getByTestId(testIds.sourceForm.save).click();
  await expect(form).toBeHidden();
  const row = page.getByRole('row').filter({ has: page.getByTestId(testIds.sources.edit(id)) });
  await expect(row).toContainText(`s3://${ingestedSource.source.bucket}/lookback-e2e/`);
  expect((await sidecarApi<SourceStatus[]>('/api/sources')).map((s) => s.source.id)).toContain(id);

  await page.getByTestId(testIds.sources.remove(id)).click();
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(row).toBeHidden();
  expect((await sidecarApi<SourceStatus[]>('/api/sources')).map((s) => s.source.id)).not.toContain(id);
});
