import { LoadingState, type DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';
import type { CoverageNotice } from '../../shared/query';

export type LoadingFirst = NonNullable<CoverageNotice['loadingFirst']>;

/** A run of the queries, and the hours a running backfill loads first for them, if it does. */
export interface Answer {
  response: DataQueryResponse;
  /** Of the queries' missing hours, those being loaded first (the latest expected, if several). */
  loadingFirst?: LoadingFirst;
  /** Whether any of the queries still reports hours not loaded (a coverage notice). */
  missingHours?: boolean;
}

export interface RefreshOptions {
  /** Between two checks. */
  everyMs: number;
  /** Checking goes on this long after the hours were expected... */
  marginMs: number;
  /** ...but never longer than this after the first answer (also when no time is expected). */
  capMs: number;
  now(): number;
}

export const REFRESH: RefreshOptions = { everyMs: 3000, marginMs: 30_000, capMs: 120_000, now: () => Date.now() };

/** The latest of the hours loading first, of several queries' answers. */
export function latestLoadingFirst(all: Array<LoadingFirst | undefined>): LoadingFirst | undefined {
  const present = all.filter((l): l is LoadingFirst => l !== undefined);
  if (present.length === 0) {
    return undefined;
  }
  const unknown = present.some((l) => l.expectedAt === null);
  const latest = present.map((l) => l.expectedAt ?? '').reduce((a, b) => (a > b ? a : b));
  return { hours: Math.max(...present.map((l) => l.hours)), expectedAt: unknown ? null : latest };
}

/**
 * Runs the queries and emits the answer at once; while a running backfill loads the missing
 * hours first, the answer is marked streaming and the queries run again every few seconds, and
 * the answer of the run that finds the hours loaded is emitted as done. Checking stops a margin
 * after the hours were expected (or at a cap), emitting the latest answer, and when Grafana
 * unsubscribes (the user ran another query or left).
 */
export function answerAndRefresh(run: () => Promise<Answer>, options: RefreshOptions = REFRESH): Observable<DataQueryResponse> {
  return new Observable<DataQueryResponse>((subscriber) => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deadline = Infinity;

    const attempt = async (first: boolean) => {
      const answer = await run();
      if (stopped) {
        return;
      }
      const now = options.now();
      if (first && answer.loadingFirst) {
        const expected = answer.loadingFirst.expectedAt ? Date.parse(answer.loadingFirst.expectedAt) : NaN;
        deadline = Math.min(now + options.capMs, Number.isNaN(expected) ? Infinity : Math.max(now, expected) + options.marginMs);
      }
      const failed = (answer.response.errors?.length ?? 0) > 0;
      // A check that still finds hours missing goes on even when its answer does not say they load
      // first: the sidecar answers without waiting long on the backfills (a busy machine), and the
      // first answer already said they do. Only the hours landing, an error or the deadline end it.
      const landed = first ? !answer.loadingFirst : !answer.loadingFirst && !answer.missingHours;
      if (landed || failed || now >= deadline) {
        subscriber.next(answer.response);
        subscriber.complete();
        return;
      }
      if (first) {
        subscriber.next({ ...answer.response, state: LoadingState.Streaming });
      }
      timer = setTimeout(() => {
        attempt(false).catch((err) => subscriber.error(err));
      }, options.everyMs);
    };

    attempt(true).catch((err) => subscriber.error(err));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  });
}
