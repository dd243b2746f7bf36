import React, { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { appClient } from '../api/app';
import { isActive } from '../api/progress';
import { BackfillForm } from '../components/backfills/BackfillForm';
import { BackfillList } from '../components/backfills/BackfillList';
import { testIds } from '../components/testIds';
import { useSidecar } from '../hooks/useSidecar';
import type { Backfill } from '../shared/backfill';

/** How often the list refreshes while a backfill runs. */
export const ACTIVE_REFRESH_MS = 2000;

/** Start a backfill, and watch every backfill's progress; the list refreshes itself while one runs. */
export function BackfillsPage() {
  const [params] = useSearchParams();
  const sources = useSidecar(() => appClient.sources());
  const backfills = useSidecar(() => appClient.backfills(), { pollMs: ACTIVE_REFRESH_MS, poll: (list) => list.some(isActive) });
  const [started, setStarted] = useState<Backfill>();
  const from = params.get('from');
  const to = params.get('to');

  const onStarted = async (backfill: Backfill) => {
    setStarted(backfill);
    await backfills.reload();
  };
  const onCancel = async (backfill: Backfill) => {
    await appClient.cancelBackfill(backfill.id);
    await backfills.reload();
  };

  return (
    <PluginPage subTitle="Load logs that are sitting in a bucket, searchable while the backfill runs">
      <div data-testid={testIds.backfills.page}>
        <Stack direction="column" gap={3}>
          <section>
            <Text element="h3">Start a backfill</Text>
            {sources.error && (
              <Alert severity="error" title="Could not list the sources">
                {sources.error.message}
              </Alert>
            )}
            {sources.loading && !sources.value && <LoadingPlaceholder text="Listing sources…" />}
            {sources.value && (
              <BackfillForm
                sources={sources.value}
                initialSourceId={params.get('source') ?? undefined}
                initialRange={from && to ? { from, to } : undefined}
                onStarted={onStarted}
              />
            )}
            {started && (
              <Alert
                data-testid={testIds.backfillForm.started}
                severity="success"
                title={`Backfill ${started.id} started`}
                onRemove={() => setStarted(undefined)}
              >
                Its events become searchable as objects are ingested; progress is below.
              </Alert>
            )}
          </section>
          <section>
            <Stack justifyContent="space-between" alignItems="center">
              <Text element="h3">Backfills</Text>
              <Button variant="secondary" size="sm" icon="sync" onClick={() => backfills.reload()}>
                Refresh
              </Button>
            </Stack>
            {backfills.error && (
              <Alert severity="error" title="Could not list the backfills">
                {backfills.error.message}
              </Alert>
            )}
            {backfills.loading && !backfills.value && <LoadingPlaceholder text="Listing backfills…" />}
            {backfills.value && <BackfillList backfills={backfills.value} onCancel={onCancel} onPrioritized={() => backfills.reload()} />}
          </section>
        </Stack>
      </div>
    </PluginPage>
  );
}
