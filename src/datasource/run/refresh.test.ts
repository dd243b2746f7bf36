import { LoadingState, type DataQueryResponse } from '@grafana/data';
import type { Subscription } from 'rxjs';
import { answerAndRefresh, latestLoadingFirst, type Answer, type RefreshOptions } from './refresh';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const options: RefreshOptions = { everyMs: 3000, marginMs: 30_000, capMs: 120_000, now: () => Date.now() };

const answer = (name: string, loadingFirst?: Answer['loadingFirst'], extra: Partial<DataQueryResponse> = {}, missingHours?: boolean): Answer => ({
  response: { data: [{ name }], state: LoadingState.Done, ...extra },
  ...(loadingFirst ? { loadingFirst } : {}),
  ...(missingHours ? { missingHours } : {}),
});

/** Subscribes and records every emission, completion and error. */
function watch(run: () => Promise<Answer>) {
  const seen: Array<{ name: string; state?: LoadingState }> = [];
  const outcome = { completed: false, error: undefined as unknown };
  const subscription: Subscription = answerAndRefresh(run, options).subscribe({
    next: (r) => seen.push({ name: (r.data[0] as { name: string }).name, state: r.state }),
    complete: () => (outcome.completed = true),
    error: (err) => (outcome.error = err),
  });
  return { seen, outcome, subscription };
}

/** Lets the run's promise settle, then moves the clock. */
async function advance(ms: number) {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('answerAndRefresh', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('emits the answer once and completes when nothing is loading first', async () => {
    const run = jest.fn(async () => answer('all loaded'));
    const { seen, outcome } = watch(run);
    await advance(0);
    expect(seen).toEqual([{ name: 'all loaded', state: LoadingState.Done }]);
    expect(outcome.completed).toBe(true);
    await advance(60_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('emits the first answer as streaming, checks again every few seconds, and emits the answer once the hours have landed', async () => {
    const answers = [answer('partial', { hours: 2, expectedAt: at(20) }), answer('still partial', { hours: 1, expectedAt: at(20) }), answer('landed')];
    const run = jest.fn(async () => answers.shift()!);
    const { seen, outcome } = watch(run);
    await advance(0);
    expect(seen).toEqual([{ name: 'partial', state: LoadingState.Streaming }]);
    expect(outcome.completed).toBe(false);

    await advance(2999);
    expect(run).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(run).toHaveBeenCalledTimes(2);
    // A check that finds the hours still loading shows nothing new.
    expect(seen).toHaveLength(1);

    await advance(3000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(seen).toEqual([
      { name: 'partial', state: LoadingState.Streaming },
      { name: 'landed', state: LoadingState.Done },
    ]);
    expect(outcome.completed).toBe(true);
    await advance(60_000);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('goes on checking when a check still finds hours missing but its answer does not say they load first (priority answered late)', async () => {
    const answers = [
      answer('partial', { hours: 1, expectedAt: at(20) }, {}, true),
      answer('priority late', undefined, {}, true),
      answer('still loading', { hours: 1, expectedAt: at(20) }, {}, true),
      answer('landed'),
    ];
    const run = jest.fn(async () => answers.shift()!);
    const { seen, outcome } = watch(run);
    await advance(0);
    await advance(3000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(outcome.completed).toBe(false);
    await advance(6000);
    expect(run).toHaveBeenCalledTimes(4);
    expect(seen).toEqual([
      { name: 'partial', state: LoadingState.Streaming },
      { name: 'landed', state: LoadingState.Done },
    ]);
    expect(outcome.completed).toBe(true);
  });

  it('completes at once when the first answer has hours missing that no backfill loads first', async () => {
    const run = jest.fn(async () => answer('missing, nothing loading', undefined, {}, true));
    const { seen, outcome } = watch(run);
    await advance(0);
    expect(seen).toEqual([{ name: 'missing, nothing loading', state: LoadingState.Done }]);
    expect(outcome.completed).toBe(true);
    await advance(60_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('stops checking a margin after the hours were expected, with the latest answer', async () => {
    let n = 0;
    const run = jest.fn(async () => answer(`run ${++n}`, { hours: 1, expectedAt: at(10) }));
    const { seen, outcome } = watch(run);
    await advance(39_000);
    expect(outcome.completed).toBe(false);
    await advance(3000);
    // Expected at 10 s, margin 30 s: the check at 42 s is the last.
    expect(outcome.completed).toBe(true);
    expect(run).toHaveBeenCalledTimes(15);
    expect(seen).toEqual([
      { name: 'run 1', state: LoadingState.Streaming },
      { name: 'run 15', state: LoadingState.Done },
    ]);
  });

  it('stops at the cap when no time is expected or it is far off', async () => {
    for (const expectedAt of [null, at(3600)]) {
      const run = jest.fn(async () => answer('partial', { hours: 3, expectedAt }));
      const { outcome } = watch(run);
      await advance(117_000);
      expect(outcome.completed).toBe(false);
      await advance(3000);
      expect(outcome.completed).toBe(true);
      expect(run).toHaveBeenCalledTimes(41);
    }
  });

  it('stops checking when unsubscribed, and emits nothing more', async () => {
    let resolve: (a: Answer) => void = () => undefined;
    const run = jest.fn(async () => answer('partial', { hours: 1, expectedAt: at(20) }));
    const { seen, subscription } = watch(run);
    await advance(0);
    subscription.unsubscribe();
    await advance(60_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(1);

    // Unsubscribed while a check is on its way: its answer is dropped.
    let calls = 0;
    const slow = jest.fn((): Promise<Answer> => {
      calls++;
      return calls === 1 ? Promise.resolve(answer('partial', { hours: 1, expectedAt: at(80) })) : new Promise<Answer>((r) => (resolve = r));
    });
    const second = watch(slow);
    await advance(3000);
    expect(slow).toHaveBeenCalledTimes(2);
    second.subscription.unsubscribe();
    resolve(answer('landed'));
    await advance(0);
    expect(second.seen).toEqual([{ name: 'partial', state: LoadingState.Streaming }]);
  });

  it('stops at an answer with errors and shows it', async () => {
    const answers = [
      answer('partial', { hours: 1, expectedAt: at(20) }),
      answer('failed', { hours: 1, expectedAt: at(20) }, { errors: [{ message: 'boom' }], state: LoadingState.Error }),
    ];
    const { seen, outcome } = watch(async () => answers.shift()!);
    await advance(3000);
    expect(seen).toEqual([
      { name: 'partial', state: LoadingState.Streaming },
      { name: 'failed', state: LoadingState.Error },
    ]);
    expect(outcome.completed).toBe(true);
  });
});

describe('latestLoadingFirst', () => {
  it('takes the most hours and the latest expected time of several queries, unknown if any is', () => {
    expect(latestLoadingFirst([undefined, undefined])).toBeUndefined();
    expect(latestLoadingFirst([{ hours: 2, expectedAt: at(10) }, undefined, { hours: 1, expectedAt: at(30) }])).toEqual({ hours: 2, expectedAt: at(30) });
    expect(
      latestLoadingFirst([
        { hours: 2, expectedAt: at(10) },
        { hours: 1, expectedAt: null },
      ])
    ).toEqual({ hours: 2, expectedAt: null });
  });
});
