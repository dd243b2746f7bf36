import React from 'react';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { QUERY_FORMATS, TIMESERIES_MAX_ROWS, type LookbackQuery, type QueryFormat } from '../types';

export interface QueryOptionsProps {
  query: LookbackQuery;
  defaultMaxLines: number;
  onChange(query: LookbackQuery): void;
  onRunQuery(): void;
}

const MAX_LINES_LIMIT = 100_000;

/** Result format and line limit. */
export function QueryOptions({ query, defaultMaxLines, onChange, onRunQuery }: QueryOptionsProps) {
  const change = (next: LookbackQuery) => {
    onChange(next);
    onRunQuery();
  };
  const placeholder = String(query.format === 'timeseries' ? TIMESERIES_MAX_ROWS : defaultMaxLines);
  const invalidLimit = query.maxLines !== undefined && (!Number.isInteger(query.maxLines) || query.maxLines < 1 || query.maxLines > MAX_LINES_LIMIT);
  return (
    <InlineFieldRow>
      <InlineField label="Format" tooltip="How Grafana shows the rows: log lines, a table, or time series (one per group)">
        <RadioButtonGroup<QueryFormat>
          data-testid={testIds.queryEditor.format}
          options={QUERY_FORMATS.map((f) => ({ value: f.value, label: f.label, description: f.description }))}
          value={query.format ?? 'logs'}
          onChange={(format) => change({ ...query, format })}
        />
      </InlineField>
      <InlineField
        label="Line limit"
        tooltip="Most rows the query returns; the sidecar caps it at 100,000"
        invalid={invalidLimit}
        error={invalidLimit ? `a whole number from 1 to ${MAX_LINES_LIMIT.toLocaleString('en-US')}` : undefined}
      >
        <Input
          data-testid={testIds.queryEditor.maxLines}
          type="number"
          width={12}
          min={1}
          max={MAX_LINES_LIMIT}
          placeholder={placeholder}
          value={query.maxLines ?? ''}
          onChange={(e) => {
            const text = e.currentTarget.value.trim();
            onChange({ ...query, maxLines: text === '' ? undefined : Number(text) });
          }}
          onBlur={() => !invalidLimit && onRunQuery()}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
