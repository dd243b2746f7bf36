import React from 'react';
import { Alert, Stack, Text } from '@grafana/ui';
import type { BackfillEstimate } from '../../shared/backfill';
import { formatBytes, formatCount, formatSeconds } from '../../utils/format';
import { testIds } from '../testIds';

const SHOWN_PREFIXES = 8;

/** What a backfill would read before it starts: objects, bytes, expected time, planned prefixes. */
export function EstimateResult({ estimate }: { estimate: BackfillEstimate }) {
  const more = estimate.prefixes.length - SHOWN_PREFIXES;
  return (
    <div data-testid={testIds.backfillForm.estimateResult}>
      <Alert severity={estimate.objects === 0 ? 'warning' : 'info'} title={estimate.objects === 0 ? 'No objects match' : 'Estimate'} bottomSpacing={0}>
        <Stack direction="column" gap={0.5}>
          <Text>
            {formatCount(estimate.objects)} objects, {formatBytes(estimate.bytes)};{' '}
            {estimate.expectedSeconds === null
              ? 'the expected time is known once this sidecar has ingested something'
              : `about ${formatSeconds(estimate.expectedSeconds)} at the throughput measured here`}
            .
          </Text>
          {estimate.prefixes.length > 0 && (
            <Text color="secondary" variant="bodySmall">
              Lists {estimate.prefixes.length === 1 ? 'the prefix' : `${formatCount(estimate.prefixes.length)} prefixes`}:{' '}
              {estimate.prefixes.slice(0, SHOWN_PREFIXES).join(', ')}
              {more > 0 ? ` and ${formatCount(more)} more` : ''}
            </Text>
          )}
        </Stack>
      </Alert>
    </div>
  );
}
