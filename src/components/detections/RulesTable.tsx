import React from 'react';
import type { CellProps } from 'react-table';
import { Badge, InteractiveTable, Stack, Switch, Text, Tooltip, type Column } from '@grafana/ui';
import type { RuleSummary } from '../../shared/detections';
import { formatAgo, formatCount, formatTime } from '../../utils/format';
import { testIds } from '../testIds';
import { SEVERITY_COLORS } from './DetectionsTable';

export interface RulesTableProps {
  rules: RuleSummary[];
  onEnabled(rule: RuleSummary, enabled: boolean): void;
}

type Cell = CellProps<RuleSummary>;

/** The rules that run on their own: enabled or not, their last run, its hits and errors, and their detections. */
export function RulesTable({ rules, onEnabled }: RulesTableProps) {
  const columns: Array<Column<RuleSummary>> = [
    {
      id: 'enabled',
      header: 'On',
      cell: ({ row: { original: r } }: Cell) => (
        <Switch
          value={r.enabled}
          aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.id}`}
          data-testid={testIds.rules.toggle(r.id)}
          onChange={() => onEnabled(r, !r.enabled)}
        />
      ),
    },
    {
      id: 'rule',
      header: 'Rule',
      cell: ({ row: { original: r } }: Cell) => (
        <Stack direction="column" gap={0}>
          <Stack gap={1} alignItems="center">
            <Text weight="medium">{r.title}</Text>
            <Badge color={SEVERITY_COLORS[r.severity]} text={r.severity} />
            <Badge color="purple" text={r.kind} />
          </Stack>
          <Text variant="bodySmall" color="secondary">
            {r.id} · {r.table}
          </Text>
        </Stack>
      ),
    },
    {
      id: 'lastRun',
      header: 'Last run',
      cell: ({ row: { original: r } }: Cell) =>
        r.lastRun ? (
          <Tooltip content={`${r.lastRun.kind} run of ${formatTime(r.lastRun.from)} to ${formatTime(r.lastRun.to)}, ${r.lastRun.durationMs} ms`}>
            <span>
              {formatAgo(r.lastRun.startedAt)}, {formatCount(r.lastRun.hits)} hits
            </span>
          </Tooltip>
        ) : (
          <Text color="secondary">not yet</Text>
        ),
    },
    {
      id: 'error',
      header: 'Errors',
      cell: ({ row: { original: r } }: Cell) =>
        r.lastError ? (
          <Text color="error" data-testid={testIds.rules.error(r.id)}>
            {r.lastError.error}
          </Text>
        ) : r.lastRun?.error ? (
          <Text color="warning">{r.lastRun.error}</Text>
        ) : (
          <Text color="secondary">none</Text>
        ),
    },
    {
      id: 'detections',
      header: 'Detections',
      cell: ({ row: { original: r } }: Cell) => (
        <span>
          {formatCount(r.detections.open)} open / {formatCount(r.detections.total)}
        </span>
      ),
    },
  ];
  return (
    <div data-testid={testIds.rules.table}>
      <InteractiveTable columns={columns} data={rules.filter((r) => r.standalone)} getRowId={(r) => r.id} />
    </div>
  );
}
