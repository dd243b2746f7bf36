import { selectors } from '@grafana/e2e-selectors';
import type { Page } from 'playwright-core';
import type { CountResponse } from '../../src/shared/api';
import type { Backfill } from '../../src/shared/backfill';
import { testIds } from '../../src/components/testIds';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { putObject } from '../integration/harness/bucket';
import { eventually } from '../integration/harness/processes';
import { APP_PLUGIN_ID } from './host/bootData';
import { generatedSource, type GeneratedSource } from './support/buckets';
import { newHostPage, openHostPage, screenshot, step, THEMES, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(120_000);

const BACKFILLS_PAGE = `/a/${APP_PLUGIN_ID}/backfills`;
const DAY = { end: '2026-11-02T00:00:00Z', days: 1, incident: false, accounts: 1, regions: ['us-east-1'] };
const count = (n: number) => n.toLocaleString('en-US');

// Flows 3 and 6: backfills over buckets of generated logs in the emulator, nothing notified,
// so only a backfill can load them.
describe('flows 3 and 6: estimate, start, watch and cancel backfills', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;
  let page: Page;
  let trail: GeneratedSource;
  let flows: GeneratedSource;
  /** A bucket with one object that is not CloudTrail and one with a record whose time is nonsense. */
  const BROKEN = { id: 'broken', bucket: 'broken-logs', prefix: 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/' };

  beforeAll(async () => {
    env = await startEnvironment({
      name: 'backfills',
      sources: async (endpoint) => {
        const [generatedTrail, generatedFlows, broken] = await Promise.all([
          generatedSource(endpoint, 'trail', { ...DAY, types: ['cloudtrail'], targetEvents: 2000, fileMinutes: { cloudtrail: 60 } }),
          // Enough objects (2,304) that flow 6's backfill is still running when it is cancelled.
          generatedSource(endpoint, 'flows', { ...DAY, types: ['vpcflow'], accounts: 16, targetEvents: 20000 }),
          createDevSource({ endpoint, id: BROKEN.id, bucket: BROKEN.bucket, logType: 'cloudtrail' }),
        ]);
        [trail, flows] = [generatedTrail, generatedFlows];
        const end = Date.parse('2026-11-01T13:00:00Z');
        const [file] = cloudTrailFiles({ account: '111122223333', region: 'us-east-1', start: end - 3_600_000, end, files: 1, eventsPerFile: 5, seed: 3 });
        const records = [...file.records, { ...file.records[0], eventTime: 'yesterday-ish' }];
        await putObject(
          endpoint,
          BROKEN.bucket,
          `${BROKEN.prefix}111122223333_CloudTrail_us-east-1_20261101T1200Z_mixed.json.gz`,
          JSON.stringify({ Records: records })
        );
        await putObject(
          endpoint,
          BROKEN.bucket,
          `${BROKEN.prefix}111122223333_CloudTrail_us-east-1_20261101T1300Z_text.json.gz`,
          'GET /index.html 200\nGET /admin 403\n'
        );
        return [trail.source, flows.source, broken.source];
      },
    });
    env.provisionApp();
    hp = await newHostPage(env.browser);
    page = hp.page;
  });

  afterAll(async () => {
    await env?.stop();
  });

  async function chooseSourceAndDay(sourceId: string): Promise<void> {
    await page.getByTestId(testIds.backfillForm.source).click();
    await page.getByRole('option', { name: new RegExp(`^${sourceId} `) }).click();
    await page.getByTestId(testIds.backfillForm.range).getByRole('button').first().click();
    await page.getByTestId(selectors.components.TimePicker.fromField).fill('2026-11-01 00:00:00');
    await page.getByTestId(selectors.components.TimePicker.toField).fill('2026-11-02 00:00:00');
    await page.getByTestId(selectors.components.TimePicker.applyTimeRange).click();
  }

  async function backfillOf(sourceId: string): Promise<Backfill> {
    return eventually(
      async () => (await env.sidecar.api<{ backfills: Backfill[] }>(`/api/backfills?source=${sourceId}`)).body.backfills[0],
      `a backfill of ${sourceId}`
    );
  }

  it('flow 3: estimates the backfill of a day, starts it and watches the progress bar reach done', async () => {
    await step(hp, 'backfill-form', async () => {
      await openHostPage(hp, env.host.url, BACKFILLS_PAGE, 'dark');
      await chooseSourceAndDay('trail');
      expect(await page.getByTestId(testIds.backfillForm.bucket).inputValue()).toBe(trail.source.bucket);
      expect(await page.getByTestId(testIds.backfillForm.region).inputValue()).toBe('us-east-1');
    });

    await step(hp, 'backfill-estimate', async () => {
      await page.getByTestId(testIds.backfillForm.estimate).click();
      const estimate = page.getByTestId(testIds.backfillForm.estimateResult);
      await estimate.getByText(`${count(trail.objects.length)} objects`, { exact: false }).waitFor();
      await screenshot(page, 'backfill-estimate-dark');
    });

    let backfill: Backfill;
    await step(hp, 'backfill-start', async () => {
      await page.getByTestId(testIds.backfillForm.start).click();
      await page.getByTestId(testIds.backfillForm.started).waitFor();
      backfill = await backfillOf('trail');
      await page.getByTestId(testIds.backfills.item(backfill.id)).waitFor();
    });

    await step(hp, 'backfill-progress-done', async () => {
      const card = page.getByTestId(testIds.backfills.item(backfill.id));
      // The page polls by itself while the backfill runs: no reload here.
      await card.getByText('done', { exact: true }).waitFor({ timeout: 60_000 });
      const bar = page.getByTestId(testIds.backfills.progress(backfill.id));
      expect(await bar.getAttribute('aria-valuenow')).toBe('100');
      await card.getByText(`${count(trail.objects.length)} of ${count(trail.objects.length)} objects`, { exact: false }).waitFor();
      await card.getByText(`${count(trail.events)} events`, { exact: false }).waitFor();
    });
    const stored = await env.sidecar.api<CountResponse>('/api/events/count?source=trail');
    expect(stored.body.count).toBe(trail.events);
    expect(hp.pageErrors).toEqual([]);
  });

  it("flow 3: lists a backfill's failed objects and malformed records with their reasons", async () => {
    const { status, body: started } = await env.sidecar.api<Backfill>('/api/backfills', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourceId: BROKEN.id, from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }),
    });
    expect(status).toBe(201);
    await eventually(
      async () => ((await env.sidecar.api<Backfill>(`/api/backfills/${started.id}`)).body.state === 'done' ? true : undefined),
      'the broken backfill done'
    );

    await step(hp, 'backfill-errors', async () => {
      await openHostPage(hp, env.host.url, BACKFILLS_PAGE, 'dark');
      const errors = page.getByTestId(testIds.backfills.errors(started.id));
      await errors.getByText('1 failed objects, 3 malformed records').click();
      await errors.getByText('no record could be parsed as cloudtrail: not a JSON record').waitFor();
      await errors
        .getByText(/_text\.json\.gz/)
        .first()
        .waitFor();
      await errors
        .getByText(/_mixed\.json\.gz/)
        .first()
        .waitFor();
      await errors.getByText(/record 6: .*yesterday-ish/).waitFor();
      await screenshot(page, 'backfill-errors-dark');
    });
    expect(hp.pageErrors).toEqual([]);
  });

  it('flow 6: cancels a running backfill', async () => {
    let backfill: Backfill;
    await step(hp, 'cancel-start', async () => {
      await openHostPage(hp, env.host.url, BACKFILLS_PAGE, 'dark');
      await chooseSourceAndDay('flows');
      await page.getByTestId(testIds.backfillForm.start).click();
      backfill = await backfillOf('flows');
      const card = page.getByTestId(testIds.backfills.item(backfill.id));
      await card.getByText('running', { exact: true }).waitFor({ timeout: 30_000 });
      await screenshot(page, 'backfill-running-dark');
    });

    await step(hp, 'cancel-confirm', async () => {
      await page.getByTestId(testIds.backfills.cancel(backfill.id)).click();
      await page.getByRole('button', { name: 'Cancel backfill' }).click();
      const card = page.getByTestId(testIds.backfills.item(backfill.id));
      await card.getByText('cancelled', { exact: true }).waitFor({ timeout: 30_000 });
      await page.getByTestId(testIds.backfills.cancel(backfill.id)).waitFor({ state: 'detached' });
    });

    const { body } = await env.sidecar.api<Backfill>(`/api/backfills/${backfill!.id}`);
    expect(body.state).toBe('cancelled');
    expect(body.counters.processed).toBeLessThan(flows.objects.length);
    const stored = await env.sidecar.api<CountResponse>('/api/events/count?source=flows');
    expect(stored.body.count).toBeLessThan(flows.events);
    expect(hp.pageErrors).toEqual([]);
  });

  it.each(THEMES)('shows the backfills with their progress in the %s theme', async (theme) => {
    await step(hp, `backfills-list-${theme}`, async () => {
      await openHostPage(hp, env.host.url, BACKFILLS_PAGE, theme);
      await page.getByTestId(testIds.backfills.list).getByText('done', { exact: true }).first().waitFor();
      await screenshot(page, `backfills-${theme}`);
    });
    expect(hp.pageErrors).toEqual([]);
  });
});
