import React from 'react';
import type { CellProps } from 'react-table';
import { Badge, Button, InteractiveTable, LinkButton, Stack, Text, Tooltip, type Column } from '@grafana/ui';
import { PLUGIN_BASE_URL } from '../../constants';
import type { QueueDepth, SourceStatus } from '../../shared/backfill';
import { formatAgo, formatCount, formatTime } from '../../utils/format';
import { testIds } from '../testIds';

export interface SourcesTableProps {
  sources: SourceStatus[];
  /** Absent for users whose role may not change sources: no Edit or Remove button then. */
  onEdit?(source: SourceStatus): void;
  onRemove?(source: SourceStatus): void;
  onShowProblems(source: SourceStatus): void;
}

type Cell = CellProps<SourceStatus>;

function Queue({ depth }: { depth: QueueDepth | null }) {
  if (!depth) {
    return <Text color="secondary">none</Text>;
  }
  return (
    <Tooltip content={`${formatCount(depth.visible)} messages waiting, ${formatCount(depth.inFlight)} being processed`}>
      <span>
        {formatCount(depth.visible)} / {formatCount(depth.inFlight)}
      </span>
    </Tooltip>
  );
}

/** Sources with their last event, volume, queue depths and failures, and what can be done with each. */
export function SourcesTable({ sources, onEdit, onRemove, onShowProblems }: SourcesTableProps) {
  const columns: Array<Column<SourceStatus>> = [
    {
      id: 'source',
      header: 'Source',
      cell: ({ row: { original: s } }: Cell) => (
        <Stack gap={1} alignItems="center">
          <Text weight="medium">{s.source.id}</Text>
          <Badge color="blue" text={s.source.logType} />
        </Stack>
      ),
    },
    {
      id: 'location',
      header: 'Location',
      cell: ({ row: { original: s } }: Cell) => (
        <Text variant="code">
          s3://{s.source.bucket}/{s.source.prefix ?? ''} ({s.source.region})
        </Text>
      ),
    },
    {
      id: 'lastEvent',
      header: 'Last event',
      cell: ({ row: { original: s } }: Cell) =>
        s.lastEventTime ? (
          <Tooltip content={formatTime(s.lastEventTime)}>
            <span>{formatAgo(s.lastEventTime)}</span>
          </Tooltip>
        ) : (
          <Text color="secondary">none yet</Text>
        ),
    },
    { id: 'events', header: 'Events / 24h', cell: ({ row: { original: s } }: Cell) => formatCount(s.eventsLast24h) },
    { id: 'live', header: 'Live queue', cell: ({ row: { original: s } }: Cell) => <Queue depth={s.liveQueue} /> },
    { id: 'backfill', header: 'Backfill queue', cell: ({ row: { original: s } }: Cell) => <Queue depth={s.backfillQueue} /> },
    {
      id: 'failures',
      header: 'Failures',
      cell: ({ row: { original: s } }: Cell) =>
        s.failedObjects + s.malformedRecords === 0 ? (
          <Text color="secondary">none</Text>
        ) : (
          <Button size="sm" variant="destructive" fill="text" data-testid={testIds.sources.failures(s.source.id)} onClick={() => onShowProblems(s)}>
            {formatCount(s.failedObjects)} failed objects, {formatCount(s.malformedRecords)} malformed records
          </Button>
        ),
    },
    {
      id: 'actions',
      cell: ({ row: { original: s } }: Cell) => (
        <Stack gap={1} justifyContent="flex-end">
          <LinkButton size="sm" variant="secondary" icon="cloud-download" href={`${PLUGIN_BASE_URL}/backfills?source=${encodeURIComponent(s.source.id)}`}>
            Backfill
          </LinkButton>
          {onEdit && (
            <Button size="sm" variant="secondary" icon="pen" data-testid={testIds.sources.edit(s.source.id)} onClick={() => onEdit(s)}>
              Edit
            </Button>
          )}
          {onRemove && (
            <Button
              size="sm"
              variant="destructive"
              icon="trash-alt"
              aria-label={`Remove ${s.source.id}`}
              data-testid={testIds.sources.remove(s.source.id)}
              onClick={() => onRemove(s)}
            />
          )}
        </Stack>
      ),
    },
  ];
  return (
    <div data-testid={testIds.sources.table}>
      <InteractiveTable
        columns={columns}
        data={sources}
        getRowId={(s) => s.source.id}
        headerTooltips={{ live: { content: 'Waiting / in flight' }, backfill: { content: 'Waiting / in flight' } }}
      />
    </div>
  );
}
