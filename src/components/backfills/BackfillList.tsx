import React, { useState } from 'react';
import { Alert, ConfirmModal, EmptyState, Stack } from '@grafana/ui';
import type { Backfill, PulledForward } from '../../shared/backfill';
import { testIds } from '../testIds';
import { BackfillCard } from './BackfillCard';

export interface BackfillListProps {
  backfills: Backfill[];
  onCancel(backfill: Backfill): Promise<void>;
  onPrioritized(backfill: Backfill, entry: PulledForward): void;
}

/** Backfills, newest first, with a confirmation before one is cancelled. */
export function BackfillList({ backfills, onCancel, onPrioritized }: BackfillListProps) {
  const [cancelling, setCancelling] = useState<Backfill>();
  const [error, setError] = useState<string>();
  if (backfills.length === 0) {
    return (
      <EmptyState variant="not-found" message="No backfills yet">
        Start one above: choose a source and the time range you need.
      </EmptyState>
    );
  }
  const sorted = [...backfills].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const confirm = async () => {
    const backfill = cancelling;
    setCancelling(undefined);
    if (!backfill) {
      return;
    }
    try {
      await onCancel(backfill);
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div data-testid={testIds.backfills.list}>
      <Stack direction="column" gap={1}>
        {error && (
          <Alert severity="error" title="The backfill was not cancelled" onRemove={() => setError(undefined)}>
            {error}
          </Alert>
        )}
        {sorted.map((b) => (
          <BackfillCard key={b.id} backfill={b} onCancel={setCancelling} onPrioritized={onPrioritized} />
        ))}
      </Stack>
      <ConfirmModal
        isOpen={cancelling !== undefined}
        title={`Cancel backfill ${cancelling?.id ?? ''}?`}
        body="Listing and enqueueing stop, and the messages still queued for it are dropped without ingest. Events already stored stay searchable."
        confirmText="Cancel backfill"
        dismissText="Keep running"
        onConfirm={confirm}
        onDismiss={() => setCancelling(undefined)}
      />
    </div>
  );
}
