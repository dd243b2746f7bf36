import React, { useState } from 'react';
import { Alert, Badge, Button, Card, CollapsableSection, Stack, Text, type BadgeColor } from '@grafana/ui';
import { appClient } from '../../api/app';
import { isActive, objectsDone } from '../../api/progress';
import type { Backfill, BackfillState, PulledForward } from '../../shared/backfill';
import { formatBytes, formatCount, formatRate, formatSeconds, formatSpan, formatTime } from '../../utils/format';
import { useSidecar } from '../../hooks/useSidecar';
import { ObjectProblems } from '../sources/ObjectProblems';
import { testIds } from '../testIds';
import { BackfillProgress } from './BackfillProgress';
import { PriorityForm } from './PriorityForm';
import { PulledForwardList } from './PulledForwardList';

const STATE_COLORS: Record<BackfillState, BadgeColor> = {
  planning: 'blue',
  listing: 'blue',
  running: 'blue',
  done: 'green',
  cancelled: 'orange',
  failed: 'red',
};

function Problems({ backfill }: { backfill: Backfill }) {
  const problems = useSidecar(() => appClient.objectProblems(backfill.sourceId, backfill.id));
  return <ObjectProblems entries={problems.value} error={problems.error} loading={problems.loading} />;
}

export interface BackfillCardProps {
  backfill: Backfill;
  /** Asks to cancel (the list confirms first). */
  onCancel(backfill: Backfill): void;
  /** The sidecar moved hours of this backfill to the front. */
  onPrioritized(backfill: Backfill, entry: PulledForward): void;
}

/**
 * One backfill: what it reads, its progress, rate, ETA, coverage, errors and the hours loaded
 * first; while it runs, "Load these hours first" and Cancel.
 */
export function BackfillCard({ backfill, onCancel, onPrioritized }: BackfillCardProps) {
  const [showProblems, setShowProblems] = useState(false);
  const [prioritizing, setPrioritizing] = useState(false);
  const [moved, setMoved] = useState<PulledForward>();
  const c = backfill.counters;
  const what = backfill.prefixes.length > 0 ? backfill.prefixes.join(', ') : 'planned from the time range';
  const problems = c.failed + c.malformed + (c.deadLettered ?? 0);
  const alreadyIngested = c.alreadyIngested ?? 0;
  const otherSkipped = c.skipped - alreadyIngested;
  return (
    <Card data-testid={testIds.backfills.item(backfill.id)} noMargin>
      <Card.Heading>
        {backfill.sourceId}: s3://{backfill.bucket} ({backfill.region})
      </Card.Heading>
      <Card.Tags>
        <Badge color={STATE_COLORS[backfill.state]} text={backfill.state} icon={isActive(backfill) ? 'sync' : undefined} />
      </Card.Tags>
      <Card.Meta>
        {[
          `started ${formatTime(backfill.createdAt)}`,
          backfill.from || backfill.to ? `events ${formatSpan(backfill.from, backfill.to)}` : 'no time range',
          `prefixes: ${what}`,
          backfill.order === 'oldest' ? 'oldest first' : 'newest first',
        ]}
      </Card.Meta>
      <Card.Description>
        <Stack direction="column" gap={1}>
          <BackfillProgress backfill={backfill} />
          <Text>
            {formatCount(objectsDone(backfill))} of {formatCount(c.listed)} objects ({formatBytes(c.bytesProcessed)} of {formatBytes(c.bytesListed)}),{' '}
            {formatCount(c.events)} events
            {isActive(backfill) && <> at {formatRate(backfill.eventsPerSecond)}</>}
            {isActive(backfill) && backfill.etaSeconds !== null && <>, about {formatSeconds(backfill.etaSeconds)} left</>}
            {backfill.finishedAt && <>, finished {formatTime(backfill.finishedAt)}</>}
          </Text>
          <Text color="secondary">
            Loaded: {formatSpan(backfill.coverage.from, backfill.coverage.to)}
            {backfill.firstEventAfterMs !== null && `; first event searchable after ${formatSeconds(backfill.firstEventAfterMs / 1000)}`}
            {alreadyIngested > 0 && `; ${formatCount(alreadyIngested)} objects already ingested (their events not counted again)`}
            {otherSkipped > 0 && `; ${formatCount(otherSkipped)} ${otherSkipped === 1 ? 'object' : 'objects'} skipped`}
            {c.cancelled > 0 && `; ${formatCount(c.cancelled)} dropped by cancel`}
          </Text>
          {backfill.error && <Text color="error">{backfill.error}</Text>}
          <PulledForwardList backfillId={backfill.id} entries={backfill.pulledForward ?? []} />
          {moved && (
            <Alert
              data-testid={testIds.priorityForm.done(backfill.id)}
              severity="success"
              title={`${formatSpan(moved.from, moved.to)} moved to the front`}
              onRemove={() => setMoved(undefined)}
              bottomSpacing={0}
            >
              {moved.note ?? 'They are loaded before the rest of the backfill: their progress is under "Loaded first".'}
            </Alert>
          )}
          {prioritizing && isActive(backfill) && (
            <PriorityForm
              backfill={backfill}
              onClose={() => setPrioritizing(false)}
              onDone={(entry) => {
                setPrioritizing(false);
                setMoved(entry);
                onPrioritized(backfill, entry);
              }}
            />
          )}
          {problems > 0 && (
            <div data-testid={testIds.backfills.errors(backfill.id)}>
              <CollapsableSection
                label={`${formatCount(c.failed)} failed objects, ${formatCount(c.malformed)} malformed records${c.deadLettered ? `, ${formatCount(c.deadLettered)} dead-lettered messages` : ''}`}
                isOpen={showProblems}
                onToggle={setShowProblems}
                unmountContentWhenClosed
              >
                <Problems backfill={backfill} />
              </CollapsableSection>
            </div>
          )}
        </Stack>
      </Card.Description>
      {isActive(backfill) && (
        <Card.Actions>
          <Button
            variant="secondary"
            icon="arrow-up"
            data-testid={testIds.backfills.prioritize(backfill.id)}
            disabled={prioritizing}
            onClick={() => {
              setMoved(undefined);
              setPrioritizing(true);
            }}
          >
            Load these hours first…
          </Button>
          <Button variant="destructive" fill="outline" icon="times" data-testid={testIds.backfills.cancel(backfill.id)} onClick={() => onCancel(backfill)}>
            Cancel
          </Button>
        </Card.Actions>
      )}
    </Card>
  );
}
