import React from 'react';
import { Alert, Badge, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import type { LedgerEntry } from '../../shared/api';
import { formatAgo, formatCount } from '../../utils/format';

export interface ObjectProblemsProps {
  entries?: LedgerEntry[];
  error?: Error;
  loading: boolean;
}

/** Objects that failed (with the reason) and malformed records (with samples), as the ledger keeps them. */
export function ObjectProblems({ entries, error, loading }: ObjectProblemsProps) {
  if (error) {
    return (
      <Alert severity="error" title="Could not read the ingest ledger">
        {error.message}
      </Alert>
    );
  }
  if (loading && !entries) {
    return <LoadingPlaceholder text="Reading the ingest ledger…" />;
  }
  if (!entries || entries.length === 0) {
    return <Text color="secondary">No failed objects or malformed records.</Text>;
  }
  return (
    <Stack direction="column" gap={1.5}>
      {entries.map((entry) => (
        <Stack key={`${entry.bucket}/${entry.key}/${entry.etag}`} direction="column" gap={0.5}>
          <Stack gap={1} alignItems="center" wrap="wrap">
            <Badge
              color={entry.status === 'failed' ? 'red' : 'orange'}
              text={entry.status === 'failed' ? 'failed' : `${formatCount(entry.malformed)} malformed`}
            />
            <Text variant="code">
              s3://{entry.bucket}/{entry.key}
            </Text>
            <Text color="secondary" variant="bodySmall">
              {formatAgo(entry.processedAt)}
            </Text>
          </Stack>
          {entry.error && <Text color="error">{entry.error}</Text>}
          {entry.malformedSamples.map((sample) => (
            <Text key={sample.record} variant="bodySmall">
              record {sample.record}: {sample.reason} <Text variant="code">{sample.sample}</Text>
            </Text>
          ))}
        </Stack>
      ))}
    </Stack>
  );
}
