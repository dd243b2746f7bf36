import React, { useEffect, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Alert, Badge, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import { fetchHealth } from '../api/sidecar';
import type { HealthResponse } from '../shared/api';
import { testIds } from '../components/testIds';

function errorText(err: unknown): string {
  const e = err as { data?: { message?: string }; statusText?: string; message?: string };
  return e.data?.message ?? e.statusText ?? e.message ?? String(err);
}

/** The sidecar's health as Grafana reaches it: store, queues and ingest totals. */
export function StatusPage() {
  const [health, setHealth] = useState<HealthResponse>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    fetchHealth()
      .then(setHealth)
      .catch((err) => setError(errorText(err)));
  }, []);

  return (
    <PluginPage>
      <div data-testid={testIds.status.container}>
        {error && (
          <Alert severity="error" title="Cannot reach the Lookback sidecar">
            {error}. Check the sidecar URL and token on the app&apos;s Configuration page.
          </Alert>
        )}
        {!health && !error && <LoadingPlaceholder text="Asking the sidecar…" />}
        {health && (
          <Stack direction="column" gap={2}>
            <Stack gap={1} alignItems="center">
              <Text element="h3">Sidecar {health.version}</Text>
              <Badge color={health.status === 'ok' ? 'green' : 'red'} text={health.status} />
            </Stack>
            {[health.store, ...health.queues].map((check) => (
              <Stack key={check.name} gap={1} alignItems="center">
                <Badge color={check.status === 'ok' ? 'green' : 'red'} text={check.status} />
                <Text>{check.name}</Text>
                {check.detail && <Text color="secondary">{check.detail}</Text>}
              </Stack>
            ))}
            <Text>
              {health.ingest.events.toLocaleString()} events from {health.ingest.objectsOk.toLocaleString()} objects;{' '}
              {health.ingest.objectsFailed} failed objects, {health.ingest.malformed} malformed records, {health.ingest.rejectedMessages} rejected
              messages.
            </Text>
          </Stack>
        )}
      </div>
    </PluginPage>
  );
}
