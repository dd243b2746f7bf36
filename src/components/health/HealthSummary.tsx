import React from 'react';
import { Alert, Badge, Stack, Text, Tooltip } from '@grafana/ui';
import type { HealthResponse } from '../../shared/api';
import { formatCount } from '../../utils/format';
import { testIds } from '../testIds';

export interface HealthSummaryProps {
  health?: HealthResponse;
  error?: Error;
}

/** The sidecar's store and queue checks and what it has ingested, in one line. */
export function HealthSummary({ health, error }: HealthSummaryProps) {
  if (error && !health) {
    return (
      <Alert severity="error" title="Cannot reach the Lookback sidecar">
        {error.message}. Check the sidecar URL and token on the app&apos;s Configuration page.
      </Alert>
    );
  }
  if (!health) {
    return null;
  }
  const checks = [health.store, ...health.queues];
  const failing = checks.filter((c) => c.status !== 'ok');
  return (
    <div data-testid={testIds.health.container}>
      <Stack direction="column" gap={1}>
        <Stack gap={1} alignItems="center" wrap="wrap">
          <Badge color={health.status === 'ok' ? 'green' : 'red'} icon={health.status === 'ok' ? 'heart' : 'heart-break'} text={`Sidecar ${health.version}`} />
          {checks.map((check) => (
            <Tooltip key={check.name} content={check.detail ?? check.name}>
              <span>
                <Badge color={check.status === 'ok' ? 'green' : 'red'} text={check.name} />
              </span>
            </Tooltip>
          ))}
        </Stack>
        <Text color="secondary">
          {formatCount(health.ingest.events)} events from {formatCount(health.ingest.objectsOk)} objects; {formatCount(health.ingest.objectsFailed)} failed
          objects, {formatCount(health.ingest.malformed)} malformed records, {formatCount(health.ingest.rejectedMessages)} rejected messages.
        </Text>
        {failing.length > 0 && (
          <Alert severity="error" title="Some checks fail">
            {failing.map((c) => `${c.name}: ${c.detail ?? 'failed'}`).join('; ')}
          </Alert>
        )}
      </Stack>
    </div>
  );
}
