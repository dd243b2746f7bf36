import React, { useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, ConfirmModal, Drawer, EmptyState, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { appClient } from '../api/app';
import { HealthSummary } from '../components/health/HealthSummary';
import { ObjectProblems } from '../components/sources/ObjectProblems';
import { SourceForm } from '../components/sources/SourceForm';
import { SourcesTable } from '../components/sources/SourcesTable';
import { testIds } from '../components/testIds';
import { useSidecar } from '../hooks/useSidecar';
import type { SourceStatus } from '../shared/backfill';
import { hasOrgRole, SOURCE_MANAGER_ROLE } from '../utils/roles';

const REFRESH_MS = 15_000;

type Panel = { kind: 'add' } | { kind: 'edit'; status: SourceStatus } | { kind: 'problems'; status: SourceStatus };

function Problems({ sourceId }: { sourceId: string }) {
  const problems = useSidecar(() => appClient.objectProblems(sourceId));
  return <ObjectProblems entries={problems.value} error={problems.error} loading={problems.loading} />;
}

/** The sources Lookback ingests: their state, and adding, editing and removing them. */
export function SourcesPage() {
  const health = useSidecar(() => appClient.health(), { pollMs: REFRESH_MS });
  const sources = useSidecar(() => appClient.sources(), { pollMs: REFRESH_MS });
  const [panel, setPanel] = useState<Panel>();
  const [removing, setRemoving] = useState<SourceStatus>();
  const [removeError, setRemoveError] = useState<string>();
  const canManage = hasOrgRole(SOURCE_MANAGER_ROLE);

  const close = () => setPanel(undefined);
  const saved = async () => {
    close();
    await sources.reload();
  };
  const remove = async () => {
    if (!removing) {
      return;
    }
    try {
      await appClient.removeSource(removing.source.id);
      setRemoveError(undefined);
      await sources.reload();
    } catch (err) {
      setRemoveError(err instanceof Error ? err.message : String(err));
    } finally {
      setRemoving(undefined);
    }
  };

  return (
    <PluginPage subTitle="Buckets Lookback reads, live from their notifications and in backfills">
      <div data-testid={testIds.sources.page}>
        <Stack direction="column" gap={2}>
          <HealthSummary health={health.value} error={health.error} />
          {canManage ? (
            <Stack justifyContent="flex-end">
              <Button icon="plus" data-testid={testIds.sources.add} onClick={() => setPanel({ kind: 'add' })}>
                Add source
              </Button>
            </Stack>
          ) : (
            <Text color="secondary" data-testid={testIds.sources.readOnly}>
              Only an organization {SOURCE_MANAGER_ROLE} can add, edit or remove sources.
            </Text>
          )}
          {removeError && (
            <Alert severity="error" title="The source was not removed" onRemove={() => setRemoveError(undefined)}>
              {removeError}
            </Alert>
          )}
          {sources.error && (
            <Alert severity="error" title="Could not list the sources">
              {sources.error.message}
            </Alert>
          )}
          {sources.loading && !sources.value && <LoadingPlaceholder text="Listing sources…" />}
          {sources.value && sources.value.length === 0 && (
            <EmptyState
              variant="call-to-action"
              message="No sources yet"
              button={
                canManage ? (
                  <Button icon="plus" onClick={() => setPanel({ kind: 'add' })}>
                    Add source
                  </Button>
                ) : undefined
              }
            >
              A source is a bucket of AWS logs (CloudTrail, load balancer, VPC flow, ...) with the SQS queues that announce new objects.
            </EmptyState>
          )}
          {sources.value && sources.value.length > 0 && (
            <SourcesTable
              sources={sources.value}
              onEdit={canManage ? (status) => setPanel({ kind: 'edit', status }) : undefined}
              onRemove={canManage ? setRemoving : undefined}
              onShowProblems={(status) => setPanel({ kind: 'problems', status })}
            />
          )}
        </Stack>
      </div>
      {panel?.kind === 'add' && (
        <Drawer title="Add a source" onClose={close} size="md">
          <SourceForm onSaved={saved} onCancel={close} />
        </Drawer>
      )}
      {panel?.kind === 'edit' && (
        <Drawer title={`Edit source ${panel.status.source.id}`} onClose={close} size="md">
          <SourceForm source={panel.status.source} onSaved={saved} onCancel={close} />
        </Drawer>
      )}
      {panel?.kind === 'problems' && (
        <Drawer
          title={`Failures of ${panel.status.source.id}`}
          subtitle="Failed objects and malformed records, from the ingest ledger"
          onClose={close}
          size="lg"
        >
          <Problems sourceId={panel.status.source.id} />
        </Drawer>
      )}
      <ConfirmModal
        isOpen={removing !== undefined}
        title={`Remove source ${removing?.source.id ?? ''}`}
        body="Lookback stops reading its queues. Events already ingested stay searchable."
        confirmText="Remove"
        onConfirm={remove}
        onDismiss={() => setRemoving(undefined)}
      />
    </PluginPage>
  );
}
