import { selectors } from '@grafana/e2e-selectors';
import type { Page } from 'playwright-core';
import type { Backfill, CoverageResponse, PulledForward } from '../../src/shared/backfill';
import { testIds } from '../../src/components/testIds';
import { eventually } from '../integration/harness/processes';
import { APP_PLUGIN_ID, DATASOURCE_UID } from './host/bootData';
import { hostTestIds } from './host/testIds';
import { generatedSource, type GeneratedSource } from './support/buckets';
import { newHostPage, openHostPage, screenshot, step, type HostPage } from './support/browser';
import { startEnvironment, type BrowserEnvironment } from './support/environment';

jest.setTimeout(240_000);

const HOUR = 3_600_000;
const DAY = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
/** The hour an oldest-first backfill of the day reaches last: the search asks for it. */
const SEARCHED = { from: Date.parse('2026-11-01T23:00:00Z'), to: Date.parse('2026-11-02T00:00:00Z') };
/** The hour the investigator asks for on the Backfills page: far from the searched one, whose neighbours the lane reads too. */
const ASKED = { from: '2026-11-01 12:00:00', to: '2026-11-01 13:00:00', iso: '2026-11-01T12:00:00.000Z' };
const QUERY = 'VPCFlow | take 50';
const BACKFILLS_PAGE = `/a/${APP_PLUGIN_ID}/backfills`;

function explorePath(query: string, range: { from: number; to: number }): string {
  const panes = {
    a: { datasource: DATASOURCE_UID, queries: [{ refId: 'A', query, format: 'table' }], range: { from: String(range.from), to: String(range.to) } },
  };
  return `/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

// Issue 19: while a backfill runs, the hours a search needs (or an investigator asks for) are
// loaded before the rest of it. A day of VPC flow logs in 2,304 objects, read one at a time (a
// setting of the sidecar), so the backfill is still running while the page acts.
describe('hours loaded first: the coverage notice in Explore and the Backfills page', () => {
  let env: BrowserEnvironment;
  let hp: HostPage;
  let page: Page;
  let flows: GeneratedSource;
  let backfill: Backfill;

  beforeAll(async () => {
    env = await startEnvironment({
      name: 'priority',
      sources: async (endpoint) => {
        flows = await generatedSource(endpoint, 'flows', {
          end: DAY.end,
          days: 1,
          incident: false,
          accounts: 16,
          regions: ['us-east-1'],
          types: ['vpcflow'],
          targetEvents: 20000,
        });
        return [flows.source];
      },
      sidecarEnv: { LOOKBACK_BACKFILL_CONCURRENCY: '1' },
    });
    env.provisionApp();
    env.provisionDataSource();
    hp = await newHostPage(env.browser);
    page = hp.page;
  });

  afterAll(async () => {
    await env?.stop();
  });

  const state = () => page.getByTestId(hostTestIds.explore.state);
  const getBackfill = async (id: string) => (await env.sidecar.api<Backfill>(`/api/backfills/${id}`)).body;

  /** Clicks Explore's run button and waits for that run's first answer. */
  async function runQuery(): Promise<void> {
    const before = Number(await state().getAttribute('data-runs'));
    await page.getByTestId(selectors.components.RefreshPicker.runButtonV2).click();
    // Evaluated in the page (as text: this file is typed for Node).
    await page.waitForFunction(
      `(() => { const el = document.querySelector('[data-testid="${hostTestIds.explore.state}"]');` +
        ` return Number(el?.getAttribute('data-runs')) > ${before} && el?.getAttribute('data-state') !== 'Loading'; })()`
    );
  }

  async function framesOf(): Promise<Array<{ length: number }>> {
    return JSON.parse((await state().getAttribute('data-frames')) ?? '[]') as Array<{ length: number }>;
  }

  it('a search over hours the running backfill has not reached says they are being loaded first, and refreshes when they land', async () => {
    await step(hp, 'loading-first-start', async () => {
      await openHostPage(hp, env.host.url, explorePath(QUERY, SEARCHED), 'dark');
      await page.getByTestId(testIds.queryEditor.container).waitFor();
      const { status, body } = await env.sidecar.api<Backfill>('/api/backfills', {
        method: 'POST',
        body: JSON.stringify({ sourceId: 'flows', from: DAY.start, to: DAY.end, order: 'oldest' }),
      });
      expect(status).toBe(201);
      backfill = await eventually(async () => {
        const now = await getBackfill(body.id);
        // Hours go first while it lists as well as while it runs.
        return now.state === 'listing' || now.state === 'running' ? now : undefined;
      }, 'the backfill listing or running');
    });

    await step(hp, 'loading-first-notice', async () => {
      // Not loaded yet: the backfill goes oldest first and has just started (asked without a search, which would pull the hour forward).
      const range = `from=${new Date(SEARCHED.from).toISOString()}&to=${new Date(SEARCHED.to).toISOString()}`;
      const before = await env.sidecar.api<CoverageResponse>(`/api/coverage?source=flows&${range}`);
      expect(before.body.hours.map((h) => h.state)).toEqual(['none']);

      // The sidecar answers a search without waiting more than 250 ms on the priority request it
      // makes: on a busy machine the first answer may not say yet that the hour is loading first,
      // and the user runs the query again, which finds the request.
      const notice = page.getByTestId(testIds.queryEditor.coverage);
      for (let run = 1; ; run++) {
        await runQuery();
        if ((await notice.count()) > 0 && (await notice.textContent())?.includes('being loaded first')) {
          break;
        }
        expect(run).toBeLessThan(5);
        await page.waitForTimeout(1000);
      }
      await notice.getByText('The missing hours are being loaded first').waitFor();
      await notice
        .getByText(
          /The missing hour of this time range is being loaded first by a running backfill, expected (in about \d+ (s|min)|any moment now|once the backfill's pace is known): the results refresh when they land/
        )
        .waitFor();
      expect(await notice.getByRole('link', { name: 'Show the backfill' }).getAttribute('href')).toBe(BACKFILLS_PAGE);
      // The answer is shown while the query stays open for the refresh.
      expect(await state().getAttribute('data-state')).toBe('Streaming');
      await screenshot(page, 'explore-loading-first-dark');
    });

    await step(hp, 'loading-first-refreshed', async () => {
      // No click: the data source checks again and shows the answer once the hour has landed.
      await page.waitForFunction(
        `(() => { const el = document.querySelector('[data-testid="${hostTestIds.explore.state}"]');` +
          ` return Number(el?.getAttribute('data-packets')) > 1 && el?.getAttribute('data-state') === 'Done'; })()`,
        undefined,
        { timeout: 150_000 }
      );
      // Some of the hour at least: it counts as loaded once an object of it is.
      const [frame] = await framesOf();
      expect(frame.length).toBeGreaterThan(0);
      await page.getByTestId(testIds.queryEditor.coverage).waitFor({ state: 'detached' });
      await screenshot(page, 'explore-loading-first-landed-dark');
    });
    // The hour landed before the rest of the backfill.
    const now = await getBackfill(backfill.id);
    expect(now.pulledForward?.find((p) => p.reason === 'query')).toMatchObject({ from: new Date(SEARCHED.from).toISOString(), detail: QUERY });
    expect(hp.pageErrors).toEqual([]);
  });

  it('the Backfills page shows what a search pulled forward, and "Load these hours first" works on the running backfill', async () => {
    expect(['listing', 'running']).toContain((await getBackfill(backfill.id)).state);
    const card = page.getByTestId(testIds.backfills.item(backfill.id));
    await step(hp, 'pulled-forward-list', async () => {
      // Tall enough for the time picker that opens under the last card.
      await page.setViewportSize({ width: 1440, height: 1600 });
      await openHostPage(hp, env.host.url, BACKFILLS_PAGE, 'dark');
      await card.getByTestId(testIds.backfills.pulledForwardEntry(backfill.id)).getByText(`a search needed them: ${QUERY}`, { exact: false }).waitFor();
    });

    await step(hp, 'load-hours-first', async () => {
      await page.getByTestId(testIds.backfills.prioritize(backfill.id)).click();
      const form = page.getByTestId(testIds.priorityForm.form(backfill.id));
      await form.getByTestId(testIds.priorityForm.range).getByRole('button').first().click();
      await page.getByTestId(selectors.components.TimePicker.fromField).fill(ASKED.from);
      await page.getByTestId(selectors.components.TimePicker.toField).fill(ASKED.to);
      await page.getByTestId(selectors.components.TimePicker.applyTimeRange).click();
      await form.getByTestId(testIds.priorityForm.note).fill('INC-42 exfiltration window');
      await form.getByTestId(testIds.priorityForm.submit).click();
      await page.getByTestId(testIds.priorityForm.done(backfill.id)).getByText('2026-11-01 12:00:00 to 2026-11-01 13:00:00 moved to the front').waitFor();
      // The list refreshes with the request, newest first.
      await card
        .getByTestId(testIds.backfills.pulledForwardEntry(backfill.id))
        .first()
        .getByText('asked: INC-42 exfiltration window', { exact: false })
        .waitFor();
      await screenshot(page, 'backfill-load-first-dark');
    });
    const asked = (await getBackfill(backfill.id)).pulledForward?.find((p: PulledForward) => p.reason === 'asked');
    expect(asked).toMatchObject({ from: ASKED.iso, to: new Date(Date.parse(ASKED.iso) + HOUR).toISOString(), detail: 'INC-42 exfiltration window' });

    await step(hp, 'load-hours-first-refused', async () => {
      // The sidecar's word on a range outside the backfill, next to the range.
      await page.getByTestId(testIds.backfills.prioritize(backfill.id)).click();
      const form = page.getByTestId(testIds.priorityForm.form(backfill.id));
      await form.getByTestId(testIds.priorityForm.range).getByRole('button').first().click();
      await page.getByTestId(selectors.components.TimePicker.fromField).fill('2026-10-20 00:00:00');
      await page.getByTestId(selectors.components.TimePicker.toField).fill('2026-10-20 01:00:00');
      await page.getByTestId(selectors.components.TimePicker.applyTimeRange).click();
      await form.getByTestId(testIds.priorityForm.submit).click();
      await form.getByText(/^to: the hours end before the backfill's range starts/).waitFor();
    });
    expect(hp.pageErrors).toEqual([]);
  });
});
