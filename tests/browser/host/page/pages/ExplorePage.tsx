import { css } from '@emotion/css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  CoreApp,
  dateMath,
  dateTime,
  LoadingState,
  type DataQuery,
  type DataSourceApi,
  type GrafanaTheme2,
  type PanelData,
  type RawTimeRange,
  type TimeRange,
} from '@grafana/data';
import { selectors } from '@grafana/e2e-selectors';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, Stack, Text, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { useSearchParams } from 'react-router-dom';
import type { Subscription } from 'rxjs';
import { hostTestIds } from '../../testIds';
import { HostPluginPage } from '../chrome/HostPluginPage';
import { classifyFrames } from '../results/classifyFrames';
import { GraphView, LINES } from '../results/GraphView';
import { LogsView } from '../results/LogsView';
import { LogVolumeView } from '../results/LogVolumeView';
import { buildRequest, runLogsVolume, subscribeMainQuery, type QueryOutcome } from '../results/runQuery';
import { summarizeFrames, totalOf } from '../results/summary';
import { TableView } from '../results/TableView';
import { useAsync } from './useAsync';

interface Pane {
  datasource?: string;
  queries?: DataQuery[];
  range?: RawTimeRange;
}

/** Explore's URL: `?schemaVersion=1&panes={"a":{"datasource":uid,"queries":[...],"range":{from,to}}}`. */
function readPane(search: URLSearchParams): Pane {
  const panes = search.get('panes');
  if (!panes) {
    return {};
  }
  const parsed = JSON.parse(panes) as Record<string, Pane>;
  return Object.values(parsed)[0] ?? {};
}

/** The range moved by `shift` of its own length, and widened `zoom` times around its middle. */
function moveRange(range: TimeRange, shift: number, zoom = 1): TimeRange {
  const span = range.to.valueOf() - range.from.valueOf();
  const middle = range.from.valueOf() + span / 2 + shift * span;
  const from = dateTime(middle - (span * zoom) / 2);
  const to = dateTime(middle + (span * zoom) / 2);
  return { from, to, raw: { from, to } };
}

/** A time of Explore's URL: epoch milliseconds, an ISO time or relative (`now-1h`). */
function urlTime(value: RawTimeRange['from'], roundUp: boolean) {
  return typeof value === 'string' && /^\d+$/.test(value) ? dateTime(Number(value)) : dateMath.toDateTime(value, { roundUp });
}

function toTimeRange(raw: RawTimeRange): TimeRange {
  const from = urlTime(raw.from, false);
  const to = urlTime(raw.to, true);
  if (!from?.isValid() || !to?.isValid()) {
    throw new Error(`invalid time range ${JSON.stringify(raw)}`);
  }
  return { from, to, raw };
}

/**
 * `/explore`: one Explore pane. The data source's query editor gets Explore's props; "Run query"
 * calls `query()` (and the logs volume supplementary query) and shows the frames in the panels
 * Explore would pick for them.
 */
export function ExplorePage() {
  const styles = useStyles2(getStyles);
  const [search] = useSearchParams();
  const pane = useMemo(() => readPane(search), [search]);
  const ds = useAsync(() => getDataSourceSrv().get(pane.datasource ?? null), [pane.datasource]);
  const [query, setQuery] = useState<DataQuery>();
  const [range, setRange] = useState<TimeRange>(() => toTimeRange(pane.range ?? { from: 'now-1h', to: 'now' }));
  const [result, setResult] = useState<QueryOutcome & { volume?: QueryOutcome; ran: number; packets: number }>();
  const [running, setRunning] = useState(false);
  // The editor may call onChange and then onRunQuery in one go, before React re-renders.
  const latest = useRef(query);
  const onChange = useCallback((next: DataQuery) => {
    latest.current = next;
    setQuery(next);
  }, []);

  useEffect(() => {
    if (ds.value) {
      const given = pane.queries?.[0];
      onChange({ refId: 'A', ...(ds.value.getDefaultQuery?.(CoreApp.Explore) ?? {}), ...given });
    }
  }, [ds.value, pane.queries, onChange]);

  // Only the latest run shows its results, as in Explore, whatever order the answers come in: a
  // new run (or leaving) unsubscribes from the one before.
  const runs = useRef(0);
  const subscription = useRef<Subscription | undefined>(undefined);
  useEffect(() => () => subscription.current?.unsubscribe(), []);
  const run = useCallback(async () => {
    const current = latest.current;
    if (!ds.value || !current) {
      return;
    }
    const mine = ++runs.current;
    subscription.current?.unsubscribe();
    setRunning(true);
    const request = buildRequest(ds.value, [current], range, 1200);
    const volume = runLogsVolume(ds.value, request);
    // Each answer is shown with the log volume, in the order they came.
    let shown = Promise.resolve();
    subscription.current = subscribeMainQuery(ds.value, request, (main, packets) => {
      shown = shown.then(async () => {
        const counts = await volume;
        if (mine === runs.current) {
          setResult({ ...main, volume: counts, ran: mine, packets });
          setRunning(false);
        }
      });
    });
  }, [ds.value, range]);

  if (ds.loading || (ds.value && !query)) {
    return <LoadingPlaceholder text="Loading data source" />;
  }
  if (ds.error || !ds.value || !query) {
    return (
      <Alert severity="error" title="Could not load the data source">
        {ds.error?.message}
      </Alert>
    );
  }
  const datasource: DataSourceApi = ds.value;
  const QueryEditor = datasource.components?.QueryEditor;
  const panels = classifyFrames(result?.frames ?? []);
  const notices = (result?.frames ?? []).flatMap((f) => f.meta?.notices ?? []);
  const data: PanelData | undefined = result && { state: result.state, series: result.frames, errors: result.errors, timeRange: range };

  return (
    <HostPluginPage pageNav={{ text: 'Explore' }}>
      <Stack direction="column" gap={2}>
        <Stack justifyContent="space-between" alignItems="center">
          <Text variant="h5">{datasource.name}</Text>
          <Stack gap={1}>
            <TimeRangePicker
              value={range}
              timeZone="utc"
              onChange={setRange}
              onChangeTimeZone={() => undefined /* Explore's time zone follows the user's; the host's user is on UTC */}
              onMoveBackward={() => setRange(moveRange(range, -0.5))}
              onMoveForward={() => setRange(moveRange(range, 0.5))}
              onZoom={() => setRange(moveRange(range, 0, 2))}
            />
            <Button icon="sync" onClick={run} disabled={running} data-testid={selectors.components.RefreshPicker.runButtonV2}>
              Run query
            </Button>
          </Stack>
        </Stack>
        <div className={styles.queryRow}>
          <Text weight="medium">{query.refId}</Text>
          {QueryEditor ? (
            <QueryEditor
              datasource={datasource}
              query={query}
              queries={[query]}
              onChange={onChange}
              onRunQuery={run}
              range={range}
              data={data}
              app={CoreApp.Explore}
            />
          ) : (
            <Alert severity="error" title="This data source has no query editor" />
          )}
        </div>
        <span
          data-testid={hostTestIds.explore.state}
          data-state={running ? LoadingState.Loading : (result?.state ?? 'idle')}
          data-runs={result?.ran ?? 0}
          data-packets={result?.packets ?? 0}
          data-frames={JSON.stringify(summarizeFrames(result?.frames ?? []))}
          data-volume-total={result?.volume ? totalOf(result.volume.frames) : ''}
          hidden
        />
        {result?.errors.map((error, i) => (
          <div key={i} data-testid={hostTestIds.explore.queryError}>
            <Alert severity="error" title="Query error">
              {error.message ?? error.data?.message}
            </Alert>
          </div>
        ))}
        {notices.map((notice, i) => (
          <div key={i} data-testid={hostTestIds.explore.notice}>
            <Alert severity={notice.severity === 'warning' ? 'warning' : notice.severity === 'error' ? 'error' : 'info'} title={notice.text} />
          </div>
        ))}
        {result?.volume?.errors.map((error, i) => (
          <Alert key={i} severity="warning" title="Logs volume failed">
            {error.message ?? error.data?.message}
          </Alert>
        ))}
        {result?.volume && result.volume.frames.length > 0 && <LogVolumeView frames={result.volume.frames} timeRange={range} />}
        {panels.graph.length > 0 && (
          <div>
            <Text element="h4">Graph</Text>
            <GraphView frames={panels.graph} timeRange={range} height={300} fieldConfig={LINES} testId={hostTestIds.explore.graphPanel} />
          </div>
        )}
        {panels.table.length > 0 && <TableView frames={panels.table} />}
        {panels.logs.length > 0 && <LogsView frames={panels.logs} />}
      </Stack>
    </HostPluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  queryRow: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 2, 2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.primary,
  }),
});
