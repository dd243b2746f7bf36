import React from 'react';
import type { CellProps } from 'react-table';
import { Badge, Button, InteractiveTable, LinkButton, Stack, Text, Tooltip, type BadgeColor, type Column } from '@grafana/ui';
import type { Detection, DetectionStatus, Severity } from '../../shared/detections';
import { formatCount, formatTime } from '../../utils/format';
import { testIds } from '../testIds';

export interface DetectionsTableProps {
  detections: Detection[];
  /** The Explore URL of a detection's events; undefined when no Lookback data source is set up. */
  exploreLink(detection: Detection): string | undefined;
  onStatus(detection: Detection, status: DetectionStatus): void;
}

type Cell = CellProps<Detection>;

export const SEVERITY_COLORS: Record<Severity, BadgeColor> = { informational: 'blue', low: 'blue', medium: 'orange', high: 'red', critical: 'red' };
const STATUS_COLORS: Record<DetectionStatus, BadgeColor> = { open: 'red', acknowledged: 'orange', closed: 'green' };

function keysText(keys: Record<string, string>): string {
  return Object.entries(keys)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Detections with their rule, severity, group keys, time and status; each links to its events and can change status. */
export function DetectionsTable({ detections, exploreLink, onStatus }: DetectionsTableProps) {
  const columns: Array<Column<Detection>> = [
    {
      id: 'severity',
      header: 'Severity',
      cell: ({ row: { original: d } }: Cell) => <Badge color={SEVERITY_COLORS[d.severity]} text={d.severity} />,
    },
    {
      id: 'rule',
      header: 'Detection',
      cell: ({ row: { original: d } }: Cell) => (
        <Stack direction="column" gap={0}>
          <Text weight="medium">{d.title}</Text>
          <Text variant="bodySmall" color="secondary">
            {d.ruleId}
          </Text>
        </Stack>
      ),
    },
    {
      id: 'keys',
      header: 'Group',
      cell: ({ row: { original: d } }: Cell) =>
        Object.keys(d.keys).length > 0 ? <Text variant="code">{keysText(d.keys)}</Text> : <Text color="secondary">—</Text>,
    },
    {
      id: 'time',
      header: 'Events',
      cell: ({ row: { original: d } }: Cell) => (
        <Tooltip content={`first ${formatTime(d.firstSeen)}, last ${formatTime(d.lastSeen)}; detected ${formatTime(d.detectedAt)}`}>
          <span>
            {formatCount(d.count)} · {formatTime(d.lastSeen)}
          </span>
        </Tooltip>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row: { original: d } }: Cell) => (
        <Tooltip content={d.statusBy ? `by ${d.statusBy}${d.statusAt ? ` at ${formatTime(d.statusAt)}` : ''}` : 'not changed yet'}>
          <span>
            <Badge color={STATUS_COLORS[d.status]} text={d.status} />
          </span>
        </Tooltip>
      ),
    },
    {
      id: 'actions',
      cell: ({ row: { original: d } }: Cell) => {
        const link = exploreLink(d);
        return (
          <Stack gap={1} justifyContent="flex-end">
            {link ? (
              <LinkButton size="sm" variant="secondary" icon="compass" href={link} data-testid={testIds.detections.explore(d.fingerprint)}>
                Events
              </LinkButton>
            ) : (
              <Tooltip content="Add the Lookback data source to open the events in Explore">
                <span>
                  <Button size="sm" variant="secondary" icon="compass" disabled>
                    Events
                  </Button>
                </span>
              </Tooltip>
            )}
            {d.status !== 'acknowledged' && d.status !== 'closed' && (
              <Button size="sm" variant="secondary" data-testid={testIds.detections.acknowledge(d.fingerprint)} onClick={() => onStatus(d, 'acknowledged')}>
                Acknowledge
              </Button>
            )}
            {d.status !== 'closed' ? (
              <Button size="sm" variant="secondary" data-testid={testIds.detections.close(d.fingerprint)} onClick={() => onStatus(d, 'closed')}>
                Close
              </Button>
            ) : (
              <Button size="sm" variant="secondary" onClick={() => onStatus(d, 'open')}>
                Reopen
              </Button>
            )}
          </Stack>
        );
      },
    },
  ];
  return (
    <div data-testid={testIds.detections.table}>
      <InteractiveTable columns={columns} data={detections} getRowId={(d) => d.fingerprint} />
    </div>
  );
}
