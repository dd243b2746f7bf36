import React from 'react';
import { Badge, Stack, Text, type BadgeColor } from '@grafana/ui';
import type { PulledForward } from '../../shared/backfill';
import { formatCount, formatSpan, formatTime } from '../../utils/format';
import { testIds } from '../testIds';

const STATE_COLORS: Record<PulledForward['state'], BadgeColor> = {
  queued: 'blue',
  loading: 'blue',
  done: 'green',
  dropped: 'orange',
};

/** Why the hours were moved to the front: the search that needed them, or the note of whoever asked. */
export function pulledForwardReason(entry: PulledForward): string {
  if (entry.reason === 'query') {
    return `a search needed them: ${entry.detail}`;
  }
  return entry.detail ? `asked: ${entry.detail}` : 'asked';
}

/** How far along: objects done of those found, once the hours' objects are being found. */
export function pulledForwardProgress(entry: PulledForward): string {
  if (entry.objects === 0) {
    return entry.state === 'queued' ? 'objects not listed yet' : 'no objects found';
  }
  return `${formatCount(entry.objectsDone)} of ${formatCount(entry.objects)} objects`;
}

/** Hours of a backfill loaded before the rest of it, newest request first, with why and how far along. */
export function PulledForwardList({ backfillId, entries }: { backfillId: string; entries: PulledForward[] }) {
  if (entries.length === 0) {
    return null;
  }
  return (
    <div data-testid={testIds.backfills.pulledForward(backfillId)}>
      <Stack direction="column" gap={0.5}>
        <Text weight="medium">Loaded first</Text>
        {entries.map((entry) => (
          <div key={`${entry.requestedAt} ${entry.from}`} data-testid={testIds.backfills.pulledForwardEntry(backfillId)}>
            <Stack gap={1} alignItems="center" wrap="wrap">
              <Badge color={STATE_COLORS[entry.state]} text={entry.state} icon={entry.state === 'loading' ? 'sync' : undefined} />
              <Text>{formatSpan(entry.from, entry.to)}</Text>
              <Text color="secondary">
                {pulledForwardReason(entry)}; {pulledForwardProgress(entry)}; asked {formatTime(entry.requestedAt)}
              </Text>
              {entry.note && <Text color="warning">{entry.note}</Text>}
            </Stack>
          </div>
        ))}
      </Stack>
    </div>
  );
}
