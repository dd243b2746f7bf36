import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { APP_PROXY, FakeBackend } from '../__fixtures__/fakeBackend';
import {
  cancelConflict,
  cancelledBackfill,
  estimate,
  finishedBackfills,
  invalidBackfill,
  problemObjects,
  runningBackfills,
  sources,
  startedBackfill,
} from '../__fixtures__/sidecar';
import { testIds } from '../components/testIds';
import type { Backfill, PulledForward } from '../shared/backfill';
import { ACTIVE_REFRESH_MS, BackfillsPage } from './BackfillsPage';

const mockBackend = new FakeBackend();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend,
}));

const [cancelled, done] = finishedBackfills.backfills;
const [running] = runningBackfills.backfills;

function serve(backfills: Backfill[]) {
  mockBackend
    .on('GET', `${APP_PROXY}/api/sources`, { status: 200, body: sources })
    .on('GET', `${APP_PROXY}/api/backfills`, { status: 200, body: { backfills } });
}

async function renderPage(url = '/a/lookback-siem-app/backfills') {
  render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <BackfillsPage />
    </MemoryRouter>
  );
  await screen.findByTestId(testIds.backfillForm.form);
}

// Text, label and test-id queries, not *ByRole: jsdom computes styles for every node a role
// query's visibility and name checks touch, about 15 ms a call on a loaded machine against
// Grafana's emotion styles, so one such query cost seconds and the tests ran out of time.
const progressOf = (item: HTMLElement) => item.querySelector('[role="progressbar"]');
/** ConfirmModal's confirm button (@grafana/e2e-selectors' pages.ConfirmModal.delete). */
const confirmButton = () => screen.findByTestId('data-testid Confirm Modal Danger Button');

async function chooseSource(id: string) {
  const input = screen.getByTestId(testIds.backfillForm.form).querySelector<HTMLInputElement>('input[role="combobox"]')!;
  fireEvent.click(input);
  fireEvent.change(input, { target: { value: id } });
  fireEvent.click((await screen.findByText(new RegExp(`^${id} — `))).closest('[role="option"]')!);
}

describe('BackfillsPage', () => {
  beforeAll(() => {
    // Combobox virtualises its options by the menu's client size: give elements one in jsdom.
    jest.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(400);
    jest.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
  });

  afterAll(() => {
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    mockBackend.reset();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('renders progress, rate, coverage and errors from the sidecar', async () => {
    serve([running, done]);
    await renderPage();
    const list = await screen.findByTestId(testIds.backfills.list);
    const finished = within(list).getByTestId(testIds.backfills.item(done.id));
    expect(within(finished).getByText('done')).toBeInTheDocument();
    expect(progressOf(finished)).toHaveAttribute('aria-valuenow', '100');
    expect(finished).toHaveTextContent('26 of 26 objects');
    expect(finished).toHaveTextContent('769 events');
    expect(finished).toHaveTextContent('Loaded: 2026-11-27 07:00:05 to 2026-11-27 08:59:53');
    expect(within(finished).queryByTestId(testIds.backfills.cancel(done.id))).not.toBeInTheDocument();

    const active = within(list).getByTestId(testIds.backfills.item(running.id));
    expect(progressOf(active)).toHaveAttribute('aria-valuenow', '1');
    expect(active).toHaveTextContent('22 of 1,152 objects');
    expect(active).toHaveTextContent('411 events at 317/s, about 48 s left');
    expect(active).toHaveTextContent('Loaded: 2026-11-25 09:00:02 to 2026-11-25 09:54:47');
    expect(within(active).getByTestId(testIds.backfills.cancel(running.id))).toHaveTextContent('Cancel');
  });

  it('tells objects already ingested apart from other skipped ones, and counts only the events the backfill added', async () => {
    serve([{ ...done, counters: { ...done.counters, processed: 20, skipped: 5, alreadyIngested: 4, events: 512 } }]);
    await renderPage();
    const card = await screen.findByTestId(testIds.backfills.item(done.id));
    expect(card).toHaveTextContent('26 of 26 objects');
    expect(card).toHaveTextContent('512 events');
    expect(card).toHaveTextContent('4 objects already ingested (their events not counted again)');
    expect(card).toHaveTextContent('1 object skipped');
  });

  it('lists the failed objects and malformed records of a backfill with their reasons', async () => {
    serve(finishedBackfills.backfills);
    const asked: Array<Record<string, unknown> | undefined> = [];
    mockBackend.on('GET', `${APP_PROXY}/api/objects`, (req) => {
      asked.push(req.params);
      return { status: 200, body: problemObjects };
    });
    await renderPage();
    const errors = await screen.findByTestId(testIds.backfills.errors(done.id));
    fireEvent.click(within(errors).getByText('1 failed objects, 2 malformed records'));
    expect(await within(errors).findByText('no record could be parsed as cloudtrail: not a JSON record')).toBeInTheDocument();
    expect(within(errors).getByText(/record 2: eventTime "yesterday-ish" is not a valid time/)).toBeInTheDocument();
    expect(asked).toContainEqual(expect.objectContaining({ source: done.sourceId, backfill: done.id, problems: 'true' }));
  });

  it('refreshes itself while a backfill runs, and stops when none does', async () => {
    jest.useFakeTimers();
    let backfills: Backfill[] = [running];
    mockBackend
      .on('GET', `${APP_PROXY}/api/sources`, { status: 200, body: sources })
      .on('GET', `${APP_PROXY}/api/backfills`, () => ({ status: 200, body: { backfills } }));
    await renderPage();
    await screen.findByTestId(testIds.backfills.item(running.id));
    // Counted from here: while the page renders, waiting advances the fake clock too.
    const calls = () => mockBackend.sent('GET', `${APP_PROXY}/api/backfills`).length;
    const first = calls();
    backfills = [{ ...running, counters: { ...running.counters, processed: 576 } }];
    await act(async () => jest.advanceTimersByTime(ACTIVE_REFRESH_MS));
    expect(calls()).toBe(first + 1);
    expect(screen.getByTestId(testIds.backfills.item(running.id))).toHaveTextContent('576 of 1,152 objects');
    expect(progressOf(screen.getByTestId(testIds.backfills.item(running.id)))).toHaveAttribute('aria-valuenow', '50');

    backfills = [{ ...running, state: 'done', counters: { ...running.counters, processed: 1152 }, finishedAt: '2026-11-27T09:50:00.000Z' }];
    await act(async () => jest.advanceTimersByTime(ACTIVE_REFRESH_MS));
    expect(calls()).toBe(first + 2);
    await act(async () => jest.advanceTimersByTime(ACTIVE_REFRESH_MS * 5));
    expect(calls()).toBe(first + 2);
  });

  it('cancels a running backfill after confirming, and shows a refusal', async () => {
    serve([running]);
    mockBackend.on('POST', `${APP_PROXY}/api/backfills/${running.id}/cancel`, { status: 409, body: cancelConflict });
    await renderPage();
    fireEvent.click(await screen.findByTestId(testIds.backfills.cancel(running.id)));
    fireEvent.click(await confirmButton());
    expect(await screen.findByText(cancelConflict.message)).toBeInTheDocument();

    mockBackend.on('POST', `${APP_PROXY}/api/backfills/${running.id}/cancel`, { status: 200, body: cancelledBackfill });
    serve(finishedBackfills.backfills);
    fireEvent.click(screen.getByTestId(testIds.backfills.cancel(running.id)));
    fireEvent.click(await confirmButton());
    await waitFor(() => expect(within(screen.getByTestId(testIds.backfills.item(running.id))).getByText('cancelled')).toBeInTheDocument());
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/backfills/${running.id}/cancel`)).toHaveLength(2);
    expect(screen.queryByTestId(testIds.backfills.cancel(running.id))).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.backfills.item(cancelled.id))).toHaveTextContent('25 of 1,152 objects');
    expect(screen.getByTestId(testIds.backfills.item(cancelled.id))).toHaveTextContent('1 dropped by cancel');
  });

  it('asks for a source before estimating', async () => {
    serve([]);
    await renderPage();
    fireEvent.click(screen.getByTestId(testIds.backfillForm.estimate));
    expect(await screen.findByText('Choose the source to backfill')).toBeInTheDocument();
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/backfills/estimate`)).toHaveLength(0);
  });

  it('prefills bucket and region from the source, estimates, then starts', async () => {
    serve([]);
    mockBackend
      .on('POST', `${APP_PROXY}/api/backfills/estimate`, { status: 200, body: estimate })
      .on('POST', `${APP_PROXY}/api/backfills`, { status: 201, body: startedBackfill });
    await renderPage();
    await chooseSource('cloudtrail');
    expect(screen.getByTestId(testIds.backfillForm.bucket)).toHaveValue('acme-cloudtrail');
    expect(screen.getByTestId(testIds.backfillForm.region)).toHaveValue('us-east-1');

    fireEvent.click(screen.getByTestId(testIds.backfillForm.estimate));
    const result = await screen.findByTestId(testIds.backfillForm.estimateResult);
    expect(result).toHaveTextContent('26 objects, 150 kB; the expected time is known once this sidecar has ingested something.');
    expect(result).toHaveTextContent('Lists the prefix: AWSLogs/573797898131/CloudTrail/us-east-1/2026/11/27/');
    const [sent] = mockBackend.sent('POST', `${APP_PROXY}/api/backfills/estimate`);
    expect(sent.data).toMatchObject({ sourceId: 'cloudtrail', bucket: 'acme-cloudtrail', region: 'us-east-1', order: 'newest' });
    const { from, to } = sent.data as { from: string; to: string };
    expect(Date.parse(to) - Date.parse(from)).toBe(7 * 86_400_000);

    mockBackend.on('GET', `${APP_PROXY}/api/backfills`, { status: 200, body: { backfills: [startedBackfill] } });
    fireEvent.click(screen.getByTestId(testIds.backfillForm.start));
    expect(await screen.findByTestId(testIds.backfillForm.started)).toHaveTextContent(`Backfill ${startedBackfill.id} started`);
    expect(await screen.findByTestId(testIds.backfills.item(startedBackfill.id))).toHaveTextContent('listing');
    expect(progressOf(screen.getByTestId(testIds.backfills.item(startedBackfill.id)))).toHaveAttribute('aria-valuetext', 'listing objects');
  });

  it("shows the sidecar's refusal next to the fields it names", async () => {
    serve([]);
    mockBackend.on('POST', `${APP_PROXY}/api/backfills`, { status: 400, body: invalidBackfill });
    await renderPage('/a/lookback-siem-app/backfills?source=alb&from=2026-11-27T09:00:00.000Z&to=2026-11-26T09:00:00.000Z');
    expect(screen.getByTestId(testIds.backfillForm.bucket)).toHaveValue('acme-alb');
    fireEvent.click(screen.getByTestId(testIds.backfillForm.start));
    expect(await screen.findByText('must start before it ends')).toBeInTheDocument();
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/backfills`)).toHaveLength(0);
  });

  it('maps sidecar field errors onto the form', async () => {
    serve([]);
    mockBackend.on('POST', `${APP_PROXY}/api/backfills`, { status: 400, body: invalidBackfill });
    await renderPage('/a/lookback-siem-app/backfills?source=alb');
    fireEvent.click(screen.getByTestId(testIds.backfillForm.start));
    expect(await screen.findByText('no source "nope" (known: alb, cloudtrail)')).toBeInTheDocument();
    expect(screen.getByText(/^must be after from \(2026-11-27T09:00:00.000Z\)/)).toBeInTheDocument();
  });

  it('assumes a role only when asked, and requires its ARN', async () => {
    serve([]);
    mockBackend.on('POST', `${APP_PROXY}/api/backfills/estimate`, { status: 200, body: estimate });
    await renderPage('/a/lookback-siem-app/backfills?source=cloudtrail');
    fireEvent.click(screen.getByLabelText('Assume a role'));
    fireEvent.click(screen.getByTestId(testIds.backfillForm.estimate));
    expect(await screen.findByText('is required to assume a role')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId(testIds.backfillForm.roleArn), { target: { value: 'arn:aws:iam::210987654321:role/lookback-reader' } });
    fireEvent.change(screen.getByTestId(testIds.backfillForm.externalId), { target: { value: 'ext-42' } });
    fireEvent.click(screen.getByTestId(testIds.backfillForm.estimate));
    await screen.findByTestId(testIds.backfillForm.estimateResult);
    expect(mockBackend.sent('POST', `${APP_PROXY}/api/backfills/estimate`)[0].data).toMatchObject({
      roleArn: 'arn:aws:iam::210987654321:role/lookback-reader',
      externalId: 'ext-42',
    });
  });

  describe('hours loaded first', () => {
    // Shapes of the contract in src/shared/backfill.ts.
    const bySearch: PulledForward = {
      from: '2026-11-26T13:00:00.000Z',
      to: '2026-11-26T15:00:00.000Z',
      reason: 'query',
      detail: 'ALB | where status >= 500',
      requestedAt: '2026-11-27T09:48:30.000Z',
      objects: 48,
      objectsDone: 12,
      state: 'loading',
    };
    const asked: PulledForward = {
      from: '2026-11-25T20:00:00.000Z',
      to: '2026-11-25T21:00:00.000Z',
      reason: 'asked',
      detail: 'INC-1234 login spike',
      requestedAt: '2026-11-27T09:48:10.000Z',
      objects: 24,
      objectsDone: 24,
      state: 'done',
    };
    const cut: PulledForward = { ...asked, reason: 'asked', detail: '', state: 'dropped', objectsDone: 3, note: 'cut at 6 hours: priority.maxHours' };

    it('shows what was pulled forward and why, on running and finished backfills', async () => {
      serve([
        { ...running, pulledForward: [bySearch, asked] },
        { ...done, pulledForward: [cut] },
      ]);
      await renderPage();
      const entries = await screen.findAllByTestId(testIds.backfills.pulledForwardEntry(running.id));
      expect(entries.map((e) => e.textContent)).toEqual([
        'loading2026-11-26 13:00:00 to 2026-11-26 15:00:00a search needed them: ALB | where status >= 500; 12 of 48 objects; asked 2026-11-27 09:48:30',
        'done2026-11-25 20:00:00 to 2026-11-25 21:00:00asked: INC-1234 login spike; 24 of 24 objects; asked 2026-11-27 09:48:10',
      ]);
      const finished = screen.getByTestId(testIds.backfills.pulledForward(done.id));
      expect(finished).toHaveTextContent('dropped');
      expect(finished).toHaveTextContent('asked; 3 of 24 objects');
      expect(finished).toHaveTextContent('cut at 6 hours: priority.maxHours');
      // Only a running backfill takes more.
      expect(screen.queryByTestId(testIds.backfills.prioritize(done.id))).not.toBeInTheDocument();
    });

    it('"Load these hours first" sends the range and note, says what moved and refreshes the list', async () => {
      serve([running]);
      const accepted: PulledForward = {
        from: '2026-11-27T08:00:00.000Z',
        to: '2026-11-27T09:00:00.000Z',
        reason: 'asked',
        detail: 'INC-1234',
        requestedAt: '2026-11-27T09:49:00.000Z',
        objects: 0,
        objectsDone: 0,
        state: 'queued',
      };
      mockBackend.on('POST', `${APP_PROXY}/api/backfills/${running.id}/priority`, { status: 202, body: accepted });
      await renderPage();
      fireEvent.click(await screen.findByTestId(testIds.backfills.prioritize(running.id)));
      const form = screen.getByTestId(testIds.priorityForm.form(running.id));
      // The hour an oldest-first backfill would load last.
      expect(within(form).getByTestId(testIds.priorityForm.range)).toHaveTextContent('2026-11-27 08:00:00 to 2026-11-27 09:00:00');
      fireEvent.change(within(form).getByTestId(testIds.priorityForm.note), { target: { value: ' INC-1234 ' } });

      serve([{ ...running, pulledForward: [accepted] }]);
      const listed = mockBackend.sent('GET', `${APP_PROXY}/api/backfills`).length;
      fireEvent.click(within(form).getByTestId(testIds.priorityForm.submit));
      expect(await screen.findByTestId(testIds.priorityForm.done(running.id))).toHaveTextContent(
        '2026-11-27 08:00:00 to 2026-11-27 09:00:00 moved to the frontThey are loaded before the rest of the backfill'
      );
      expect(mockBackend.sent('POST', `${APP_PROXY}/api/backfills/${running.id}/priority`).map((r) => r.data)).toEqual([
        { from: '2026-11-27T08:00:00.000Z', to: '2026-11-27T09:00:00.000Z', note: 'INC-1234' },
      ]);
      expect(screen.queryByTestId(testIds.priorityForm.form(running.id))).not.toBeInTheDocument();
      await waitFor(() => expect(mockBackend.sent('GET', `${APP_PROXY}/api/backfills`).length).toBeGreaterThan(listed));
      expect(await screen.findByTestId(testIds.backfills.pulledForwardEntry(running.id))).toHaveTextContent('asked: INC-1234; objects not listed yet');
    });

    it.each([
      [409, { statusCode: 409, error: 'Conflict', message: `backfill ${running.id} is done: only a running backfill loads hours first` }],
      [429, { statusCode: 429, error: 'Too Many Requests', message: 'at most 8 requests of hours loaded first per backfill (priority.maxRequests)' }],
      [404, { statusCode: 404, error: 'Not Found', message: `no backfill ${running.id}` }],
    ])("shows the sidecar's %i refusal in the form", async (status, body) => {
      serve([running]);
      mockBackend.on('POST', `${APP_PROXY}/api/backfills/${running.id}/priority`, { status, body });
      await renderPage();
      fireEvent.click(await screen.findByTestId(testIds.backfills.prioritize(running.id)));
      fireEvent.click(screen.getByTestId(testIds.priorityForm.submit));
      expect(await screen.findByTestId(testIds.priorityForm.error)).toHaveTextContent(body.message);
      expect(screen.getByTestId(testIds.priorityForm.form(running.id))).toBeInTheDocument();
    });

    it('shows a refused range next to the range', async () => {
      serve([running]);
      mockBackend.on('POST', `${APP_PROXY}/api/backfills/${running.id}/priority`, {
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          message: 'to: is outside the backfill (2026-11-25T09:00:00.000Z to 2026-11-27T09:00:00.000Z)',
          fields: [{ field: 'to', message: 'is outside the backfill (2026-11-25T09:00:00.000Z to 2026-11-27T09:00:00.000Z)' }],
        },
      });
      await renderPage();
      fireEvent.click(await screen.findByTestId(testIds.backfills.prioritize(running.id)));
      fireEvent.click(screen.getByTestId(testIds.priorityForm.submit));
      expect(await screen.findByText('to: is outside the backfill (2026-11-25T09:00:00.000Z to 2026-11-27T09:00:00.000Z)')).toBeInTheDocument();
      expect(screen.queryByTestId(testIds.priorityForm.error)).not.toBeInTheDocument();
    });
  });
});
