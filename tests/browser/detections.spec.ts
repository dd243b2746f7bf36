import type { Page } from 'playwright-core';
import type { Backfill } from '../../src/shared/backfill';
import type { Detection, DetectionList, Hunt, RuleSummary } from '../../src/shared/detections';
import { testIds } from '../../src/components/testIds';
import { eventually } from '../integration/harness/processes';
import { APP_PLUGIN_ID, DATASOURCE_UID } from './host/bootData';
import { generatedSource } from './support/buckets';
import { newHostPage, openHostPage, screenshot, step, THEMES, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(300_000);

const DETECTIONS_PAGE = `/a/${APP_PLUGIN_ID}/detections`;
const FROM = '2026-11-01T00:00:00Z';
const TO = '2026-11-02T00:00:00Z';
const PERSISTENCE = 'Access key created for another user';

// The Detections page over a generated day of CloudTrail with the planted incident, backfilled
// into a real sidecar running the rule pack: a retro-hunt started from the page finds the
// incident, a detection is acknowledged and opened in Explore, a rule is switched off.
describe('the Detections page: hunt, acknowledge, explore, rules', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;
  let page: Page;

  beforeAll(async () => {
    env = await startEnvironment({
      name: 'detections',
      sources: async (endpoint) => [
        (
          await generatedSource(endpoint, 'trail', {
            end: TO,
            days: 1,
            accounts: 1,
            regions: ['us-east-1'],
            types: ['cloudtrail'],
            targetEvents: 3000,
            fileMinutes: { cloudtrail: 60 },
          })
        ).source,
      ],
    });
    env.provisionApp();
    env.provisionDataSource();
    const { body: backfill } = await env.sidecar.api<Backfill>('/api/backfills', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourceId: 'trail', from: FROM, to: TO }),
    });
    await eventually(
      async () => ((await env.sidecar.api<Backfill>(`/api/backfills/${backfill.id}`)).body.state === 'done' ? true : undefined),
      'the backfill done',
      180_000
    );
    hp = await newHostPage(env.browser);
    page = hp.page;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('hunts the day from the page and lists what the rule pack found, linked to the events in Explore', async () => {
    let hunt: Hunt;
    await step(hp, 'detections-hunt', async () => {
      await openHostPage(hp, env.host.url, DETECTIONS_PAGE, 'dark');
      await page.getByTestId(testIds.rules.table).waitFor();
      await page.getByTestId(testIds.hunts.from).fill(FROM);
      await page.getByTestId(testIds.hunts.to).fill(TO);
      await page.getByTestId(testIds.hunts.start).click();
      hunt = await eventually(async () => (await env.sidecar.api<{ hunts: Hunt[] }>('/api/hunts')).body.hunts[0], 'a hunt');
      // The page polls the hunts while one runs.
      await page.getByTestId(testIds.hunts.item(hunt.id)).getByText('done', { exact: true }).waitFor({ timeout: 180_000 });
    });

    let found: Detection;
    await step(hp, 'detections-list', async () => {
      const list = (await env.sidecar.api<DetectionList>('/api/detections?limit=500')).body.detections;
      found = list.find((d) => d.title === PERSISTENCE)!;
      expect(found).toBeDefined();
      await page.getByRole('button', { name: 'Refresh' }).click();
      const table = page.getByTestId(testIds.detections.table);
      await table.getByText(PERSISTENCE).first().waitFor();
      const href = await page.getByTestId(testIds.detections.explore(found.fingerprint)).getAttribute('href');
      const panes = JSON.parse(new URL(href!, env.host.url).searchParams.get('panes')!);
      expect(panes.lookback.queries[0]).toMatchObject({ datasource: { uid: DATASOURCE_UID }, query: found.explore.query.replace(/\s*\n\s*/g, ' ') });
      await screenshot(page, 'detections-dark');
    });

    await step(hp, 'detections-acknowledge', async () => {
      await page.getByTestId(testIds.detections.acknowledge(found.fingerprint)).click();
      await eventually(
        async () => ((await env.sidecar.api<Detection>(`/api/detections/${found.fingerprint}`)).body.status === 'acknowledged' ? true : undefined),
        'the detection acknowledged'
      );
      // Open detections only: the acknowledged one leaves the list.
      await page.getByTestId(testIds.detections.acknowledge(found.fingerprint)).waitFor({ state: 'detached' });
    });

    await step(hp, 'detections-explore', async () => {
      await page.getByTestId(testIds.detections.status).getByRole('radio', { name: 'All' }).click();
      await page.getByTestId(testIds.detections.explore(found.fingerprint)).click();
      await page.waitForURL(/\/explore/);
    });
    expect(hp.pageErrors).toEqual([]);
  });

  it('switches a rule off and on', async () => {
    const ruleId = 'lookback.aws.cloudtrail.root-console-login';
    await step(hp, 'rules-toggle', async () => {
      await openHostPage(hp, env.host.url, DETECTIONS_PAGE, 'light');
      await page.getByLabel(`Disable ${ruleId}`).click({ force: true });
      await eventually(
        async () => ((await env.sidecar.api<RuleSummary>(`/api/rules/${ruleId}`)).body.enabled === false ? true : undefined),
        'the rule disabled'
      );
      await page.getByLabel(`Enable ${ruleId}`).click({ force: true });
      await eventually(async () => ((await env.sidecar.api<RuleSummary>(`/api/rules/${ruleId}`)).body.enabled ? true : undefined), 'the rule enabled');
    });
    expect(hp.pageErrors).toEqual([]);
  });

  it.each(THEMES)('shows detections, hunts and rules in the %s theme', async (theme) => {
    await step(hp, `detections-${theme}`, async () => {
      await openHostPage(hp, env.host.url, DETECTIONS_PAGE, theme);
      await page.getByTestId(testIds.detections.status).getByRole('radio', { name: 'All' }).click();
      await page.getByTestId(testIds.detections.table).getByText(PERSISTENCE).first().waitFor();
      await page.getByTestId(testIds.rules.table).waitFor();
      await screenshot(page, `detections-page-${theme}`);
    });
    expect(hp.pageErrors).toEqual([]);
  });
});
