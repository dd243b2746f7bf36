import React, { useRef, useState } from 'react';
import { config, getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Alert, Badge, Button, Combobox, EmptyState, LoadingPlaceholder, RadioButtonGroup, Stack, Text, type ComboboxOption } from '@grafana/ui';
import { appClient } from '../api/app';
import { DetectionsTable } from '../components/detections/DetectionsTable';
import { HuntForm } from '../components/detections/HuntForm';
import { RulesTable } from '../components/detections/RulesTable';
import { testIds } from '../components/testIds';
import { useSidecar } from '../hooks/useSidecar';
import { SEVERITIES, type Detection, type DetectionListParams, type DetectionStatus, type Hunt, type RuleSummary, type Severity } from '../shared/detections';
import { DATASOURCE_TYPE, exploreUrl } from '../shared/explore';
import { formatCount, formatTime } from '../utils/format';

const REFRESH_MS = 15_000;
/** How often the hunts refresh while one runs. */
export const HUNT_REFRESH_MS = 2000;

type StatusFilter = DetectionStatus | 'all';
const STATUS_OPTIONS: Array<{ label: string; value: StatusFilter }> = [
  { label: 'Open', value: 'open' },
  { label: 'Acknowledged', value: 'acknowledged' },
  { label: 'Closed', value: 'closed' },
  { label: 'All', value: 'all' },
];

type SeverityFilter = Severity | 'all';
const SEVERITY_OPTIONS: Array<{ label: string; value: SeverityFilter }> = [
  { label: 'Any severity', value: 'all' },
  ...[...SEVERITIES].reverse().map((s) => ({ label: s, value: s })),
];

const DAY = 86_400_000;
/** How far back the detections' events reach, in ms; 0: any time. */
const SINCE_OPTIONS: Array<{ label: string; value: number }> = [
  { label: '24 hours', value: DAY },
  { label: '7 days', value: 7 * DAY },
  { label: '30 days', value: 30 * DAY },
  { label: 'Any time', value: 0 },
];

interface Filters {
  status: StatusFilter;
  severity: SeverityFilter;
  /** A rule id, or null for every rule. */
  rule: string | null;
  sinceMs: number;
}

const INITIAL_FILTERS: Filters = { status: 'open', severity: 'all', rule: null, sinceMs: 0 };
const LIST_LIMIT = 200;

/** The request for the detections the filters select: those whose events reach into the chosen span before now. */
function listParams(filters: Filters, now: number): DetectionListParams {
  return {
    status: filters.status === 'all' ? undefined : filters.status,
    severity: filters.severity === 'all' ? undefined : filters.severity,
    rule: filters.rule ?? undefined,
    from: filters.sinceMs > 0 ? new Date(now - filters.sinceMs).toISOString() : undefined,
    limit: LIST_LIMIT,
  };
}

function emptyMessage(filters: Filters): string {
  if (filters.severity !== 'all' || filters.rule !== null || filters.sinceMs > 0) {
    return 'No detections match the filters';
  }
  return filters.status === 'all' ? 'No detections yet' : `No ${filters.status} detections`;
}

const ANY_RULE: ComboboxOption<string> = { value: '', label: 'Any rule' };
const ruleOption = (r: RuleSummary): ComboboxOption<string> => ({ value: r.id, label: r.title, description: r.id });

/**
 * The Explore URL of a detection's events in this Grafana, through the first Lookback data source.
 * The query goes on one line: Grafana's link sanitiser drops the `\n` escapes of the URL's JSON.
 */
function exploreLinkOf(detection: Detection): string | undefined {
  const datasource = getDataSourceSrv().getList({ pluginId: DATASOURCE_TYPE })[0];
  const query = oneLine(detection.explore.query);
  return datasource ? exploreUrl({ grafanaUrl: config.appSubUrl ?? '', datasourceUid: datasource.uid, ...detection.explore, query }) : undefined;
}

/** A query of the search language on one line (line breaks are only whitespace in it). */
const oneLine = (query: string) => query.replace(/\s*\n\s*/g, ' ');

function HuntLine({ hunt, rules }: { hunt: Hunt; rules: number }) {
  const color = hunt.state === 'done' ? 'green' : hunt.state === 'failed' ? 'red' : 'blue';
  return (
    <div data-testid={testIds.hunts.item(hunt.id)}>
      <Stack gap={1} alignItems="center" wrap="wrap">
        <Badge color={color} text={hunt.state} />
        <Text>
          {formatTime(hunt.from)} to {formatTime(hunt.to)}: {hunt.rulesDone} of {rules} rules, {formatCount(hunt.hits)} hits, {formatCount(hunt.newDetections)}{' '}
          new detections
        </Text>
        <Text color="secondary">
          {hunt.requestedBy ? `by ${hunt.requestedBy}, ` : ''}
          {formatTime(hunt.createdAt)}
        </Text>
        {hunt.errors.map((e) => (
          <Text key={e.ruleId} color="error">
            {e.ruleId}: {e.error}
          </Text>
        ))}
      </Stack>
    </div>
  );
}

/** What the rules found: detections with their events one click away, the rules (on or off, last run, errors), and retro-hunts. */
export function DetectionsPage() {
  const [filters, setFilters] = useState<Filters>(INITIAL_FILTERS);
  // The loader reads the filters when it runs, so a reload right after a change uses the new ones.
  const filtersRef = useRef(filters);
  const detections = useSidecar(() => appClient.detections(listParams(filtersRef.current, Date.now())), { pollMs: REFRESH_MS });
  const rules = useSidecar(() => appClient.rules(), { pollMs: REFRESH_MS });
  const hunts = useSidecar(() => appClient.hunts(), { pollMs: HUNT_REFRESH_MS, poll: (list) => list.some((h) => h.state === 'running') });
  const [actionError, setActionError] = useState<string>();
  const user = config.bootData?.user?.login;

  const act = async (work: () => Promise<unknown>, reload: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await work();
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    }
    await reload();
  };
  const onStatus = (d: Detection, next: DetectionStatus) => act(() => appClient.setDetectionStatus(d.fingerprint, next, user), detections.reload);
  const onEnabled = (r: RuleSummary, enabled: boolean) => act(() => appClient.setRuleEnabled(r.id, enabled, user), rules.reload);
  const filter = (change: Partial<Filters>) => {
    filtersRef.current = { ...filtersRef.current, ...change };
    setFilters(filtersRef.current);
    detections.reload();
  };

  return (
    <PluginPage subTitle="What the rules found as logs landed, and hunts of history with them">
      <div data-testid={testIds.detections.page}>
        <Stack direction="column" gap={3}>
          {actionError && (
            <Alert severity="error" title="The change was not made" onRemove={() => setActionError(undefined)}>
              {actionError}
            </Alert>
          )}
          <section>
            <Stack justifyContent="space-between" alignItems="center">
              <Text element="h3">Detections</Text>
              <Button variant="secondary" size="sm" icon="sync" onClick={() => detections.reload()}>
                Refresh
              </Button>
            </Stack>
            <Stack gap={1} alignItems="center" wrap="wrap">
              <div data-testid={testIds.detections.status}>
                <RadioButtonGroup<StatusFilter> size="sm" options={STATUS_OPTIONS} value={filters.status} onChange={(status) => filter({ status })} />
              </div>
              <div data-testid={testIds.detections.severity}>
                <RadioButtonGroup<SeverityFilter> size="sm" options={SEVERITY_OPTIONS} value={filters.severity} onChange={(severity) => filter({ severity })} />
              </div>
              <div data-testid={testIds.detections.since}>
                <RadioButtonGroup<number> size="sm" options={SINCE_OPTIONS} value={filters.sinceMs} onChange={(sinceMs) => filter({ sinceMs })} />
              </div>
              <div data-testid={testIds.detections.rule}>
                <Combobox<string>
                  aria-label="Rule"
                  width={40}
                  options={[ANY_RULE, ...(rules.value?.rules ?? []).map(ruleOption)]}
                  value={filters.rule ?? ANY_RULE.value}
                  onChange={(option) => filter({ rule: option?.value || null })}
                />
              </div>
            </Stack>
            {detections.error && (
              <Alert severity="error" title="Could not list the detections">
                {detections.error.message}
              </Alert>
            )}
            {detections.loading && !detections.value && <LoadingPlaceholder text="Listing detections…" />}
            {detections.value && detections.value.detections.length === 0 && <EmptyState variant="completed" message={emptyMessage(filters)} />}
            {detections.value && detections.value.detections.length > 0 && (
              <DetectionsTable detections={detections.value.detections} exploreLink={exploreLinkOf} onStatus={onStatus} />
            )}
            {detections.value?.truncated && <Text color="secondary">The newest {LIST_LIMIT} are shown.</Text>}
          </section>
          <section>
            <Text element="h3">Hunt history again</Text>
            <HuntForm user={user} onStarted={() => hunts.reload()} />
            {hunts.value && hunts.value.length > 0 && (
              <div data-testid={testIds.hunts.list}>
                <Stack direction="column" gap={1}>
                  {hunts.value.map((h) => (
                    <HuntLine key={h.id} hunt={h} rules={h.rules.length} />
                  ))}
                </Stack>
              </div>
            )}
            {hunts.error && (
              <Alert severity="error" title="Could not list the hunts">
                {hunts.error.message}
              </Alert>
            )}
          </section>
          <section>
            <Text element="h3">Rules</Text>
            {rules.error && (
              <Alert severity="error" title="Could not list the rules">
                {rules.error.message}
              </Alert>
            )}
            {rules.loading && !rules.value && <LoadingPlaceholder text="Listing rules…" />}
            {rules.value && rules.value.errors.length > 0 && (
              <div data-testid={testIds.rules.loadErrors}>
                <Alert severity="warning" title={`${rules.value.errors.length} rules did not load`}>
                  {rules.value.errors.map((e) => (
                    <div key={e.message}>{e.message}</div>
                  ))}
                </Alert>
              </div>
            )}
            {rules.value && <RulesTable rules={rules.value.rules} onEnabled={onEnabled} />}
          </section>
        </Stack>
      </div>
    </PluginPage>
  );
}
