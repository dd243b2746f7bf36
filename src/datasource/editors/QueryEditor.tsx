import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelData, QueryEditorProps } from '@grafana/data';
import { Icon, InlineField, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import type { LookbackDataSource } from '../datasource';
import { errorPosition } from '../run/queryError';
import { DEFAULT_MAX_LINES, type LookbackOptions, type LookbackQuery, type StatusResource } from '../types';
import { CoverageNotice } from './CoverageNotice';
import { PipelineEditor } from './PipelineEditor';
import { QueryOptions } from './QueryOptions';

export type LookbackQueryEditorProps = QueryEditorProps<LookbackDataSource, LookbackQuery, LookbackOptions>;

type Kind = 'search' | StatusResource;

const KINDS: Array<{ value: Kind; label: string; description: string }> = [
  { value: 'search', label: 'Search', description: 'A pipeline over the indexed events' },
  { value: 'sources', label: 'Sources', description: 'Sources with last event, queue depths and failures' },
  { value: 'backfills', label: 'Backfills', description: 'Backfills with progress, rate and ETA' },
];

/** The error Grafana got for this query, if any. */
export function queryErrorOf(data: PanelData | undefined, refId: string): string | undefined {
  return (data?.errors ?? []).find((e) => !e.refId || e.refId === refId)?.message;
}

export function QueryEditor({ query, onChange, onRunQuery, datasource, data, range }: LookbackQueryEditorProps) {
  const styles = useStyles2(getStyles);
  const kind: Kind = query.status ?? 'search';
  const errorMessage = queryErrorOf(data, query.refId);
  const position = errorPosition(errorMessage);

  const changeKind = (next: Kind) => {
    onChange(
      next === 'search'
        ? { ...query, status: undefined, format: query.format ?? 'logs', query: query.query ?? '' }
        : { ...query, status: next, format: 'table' }
    );
    onRunQuery();
  };

  return (
    <div data-testid={testIds.queryEditor.container} className={styles.container}>
      <InlineField label="Query" tooltip="Search the events, or chart the sidecar's own state">
        <RadioButtonGroup<Kind> data-testid={testIds.queryEditor.kind} size="sm" options={KINDS} value={kind} onChange={changeKind} />
      </InlineField>
      {kind === 'search' && (
        <>
          <PipelineEditor
            value={query.query ?? ''}
            client={datasource.client}
            range={range}
            error={position && errorMessage ? { ...position, message: errorMessage } : undefined}
            onChange={(text) => onChange({ ...query, query: text })}
            onRunQuery={onRunQuery}
          />
          {errorMessage && (
            <div data-testid={testIds.queryEditor.error} className={styles.error} role="alert">
              <Stack gap={1} alignItems="center">
                <Icon name="exclamation-triangle" />
                <Text color="error" variant="bodySmall">
                  {errorMessage}
                </Text>
              </Stack>
            </div>
          )}
          <QueryOptions query={query} defaultMaxLines={datasource.maxLines ?? DEFAULT_MAX_LINES} onChange={onChange} onRunQuery={onRunQuery} />
          <CoverageNotice data={data} refId={query.refId} />
        </>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  error: css({ color: theme.colors.error.text, fontFamily: theme.typography.fontFamilyMonospace }),
});
