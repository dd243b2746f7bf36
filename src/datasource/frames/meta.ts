import type { QueryResultMeta, QueryResultMetaNotice } from '@grafana/data';
import { PLUGIN_BASE_URL } from '../../constants';
import type { CoverageNotice, QueryResponse } from '../../shared/query';

/** The app page where a backfill of the missing range starts. */
export function backfillLink(coverage: CoverageNotice, from: string, to: string): string {
  const params = new URLSearchParams({ from, to });
  if (coverage.missingHours.length > 0) {
    params.set('from', coverage.missingHours[0]);
  }
  return `${PLUGIN_BASE_URL}/backfills?${params.toString()}`;
}

export function coverageNotice(coverage: CoverageNotice, from: string, to: string): QueryResultMetaNotice {
  return { severity: coverage.state === 'none' ? 'warning' : 'info', text: coverage.message, link: backfillLink(coverage, from, to) };
}

/** Stats, notices (coverage, truncation) and the executed query, shared by every frame of a response. */
export function responseMeta(response: QueryResponse, executed: string, range: { from: string; to: string }): QueryResultMeta {
  const notices: QueryResultMetaNotice[] = [];
  if (response.coverage) {
    notices.push(coverageNotice(response.coverage, range.from, range.to));
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
    stats: [
      { displayName: 'Rows read', value: response.stats.rowsRead },
      { displayName: 'Bytes read', value: response.stats.bytesRead, unit: 'decbytes' },
      { displayName: 'Query time', value: response.stats.elapsedMs, unit: 'ms' },
      { displayName: 'Rows returned', value: response.stats.rowsReturned },
    ],
  };
}
