// Links into Grafana's Explore with a query of the Lookback data source, shared by the app plugin
// (a detection's events) and the sidecar (links in notifications).

export const DATASOURCE_TYPE = 'lookback-logs-datasource';

export interface ExploreTarget {
  /** Grafana's root URL ('' for a link relative to the Grafana the page is in). */
  grafanaUrl: string;
  datasourceUid: string;
  query: string;
  /** ISO 8601. */
  from: string;
  to: string;
}

/** Explore (Grafana 10 and later: `panes`) with one logs query of the Lookback data source over the range. */
export function exploreUrl(target: ExploreTarget): string {
  const datasource = { type: DATASOURCE_TYPE, uid: target.datasourceUid };
  const panes = {
    lookback: {
      datasource: target.datasourceUid,
      queries: [{ refId: 'A', datasource, query: target.query, format: 'logs' }],
      range: { from: String(Date.parse(target.from)), to: String(Date.parse(target.to)) },
    },
  };
  return `${target.grafanaUrl.replace(/\/+$/, '')}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}
