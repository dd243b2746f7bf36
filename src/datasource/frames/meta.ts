import type { QueryResultMeta, QueryResultMetaNotice } from '@grafana/data';
import { PLUGIN_BASE_URL } from '../../constants';
import type { CoverageNotice, QueryResponse } from '../../shared/query';

type LoadingFirst = NonNullable<CoverageNotice['loadingFirst']>;

/** The app page where a backfill of the missing range starts. */
export function backfillLink(coverage: CoverageNotice, from: string, to: string): string {
  const params = new URLSearchParams({ from, to });
  if (coverage.missingHours.length > 0) {
    params.set('from', coverage.missingHours[0]);
  }
  return `${PLUGIN_BASE_URL}/backfills?${params.toString()}`;
}

/** When hours a backfill loads first are expected, as people say it: `in about 20 s`. */
export function expectedIn(expectedAt: string | null, now: number): string {
  const at = expectedAt ? Date.parse(expectedAt) : NaN;
  if (Number.isNaN(at)) {
    return "once the backfill's pace is known";
  }
  const seconds = Math.round((at - now) / 1000);
  if (seconds <= 0) {
    return 'any moment now';
  }
  const minutes = Math.round(seconds / 60);
  return `in about ${seconds < 90 ? `${seconds} s` : minutes < 90 ? `${minutes} min` : `${Math.round(minutes / 60)} h`}`;
}

/** Which of the missing hours a running backfill loads first, and when they are expected. */
export function loadingFirstText(loadingFirst: LoadingFirst, missing: number, now: number): string {
  const { hours } = loadingFirst;
  const which =
    hours < missing
      ? `${hours} of the ${missing} missing hours of this time range are`
      : hours === 1
        ? 'The missing hour of this time range is'
        : `The ${hours} missing hours of this time range are`;
  return `${which} being loaded first by a running backfill, expected ${expectedIn(loadingFirst.expectedAt, now)}: the results refresh when they land`;
}

/**
 * The notice of a range not (fully) loaded: with a link to backfill it, or, while a running
 * backfill loads the missing hours first, when they are expected and a link to the Backfills
 * page that shows it.
 */
export function coverageNotice(coverage: CoverageNotice, from: string, to: string, now = Date.now()): QueryResultMetaNotice {
  if (coverage.loadingFirst) {
    const text = loadingFirstText(coverage.loadingFirst, Math.max(coverage.missingHours.length, coverage.loadingFirst.hours), now);
    return { severity: 'info', text, link: `${PLUGIN_BASE_URL}/backfills` };
  }
  return { severity: coverage.state === 'none' ? 'warning' : 'info', text: coverage.message, link: backfillLink(coverage, from, to) };
}

/** Stats, notices (coverage, truncation) and the executed query, shared by every frame of a response. */
export function responseMeta(response: QueryResponse, executed: string, range: { from: string; to: string }, now = Date.now()): QueryResultMeta {
  const notices: QueryResultMetaNotice[] = [];
  if (response.coverage) {
    notices.push(coverageNotice(response.coverage, range.from, range.to, now));
  }
  if (response.stats.truncated) {
    notices.push({
      severity: 'warning',
      text: `Showing the first ${response.stats.rowsReturned.toLocaleString('en-US')} rows: raise the line limit or narrow the query to see the rest`,
    });
  }
  return {
    executedQueryString: executed,
    notices,
    ...(response.coverage?.loadingFirst ? { custom: { loadingFirst: response.coverage.loadingFirst } } : {}),
    stats: [
      { displayName: 'Rows read', value: response.stats.rowsRead },
      { displayName: 'Bytes read', value: response.stats.bytesRead, unit: 'decbytes' },
      { displayName: 'Query time', value: response.stats.elapsedMs, unit: 'ms' },
      { displayName: 'Rows returned', value: response.stats.rowsReturned },
    ],
  };
}
