import React from 'react';
import type { PanelData } from '@grafana/data';
import { Alert, LinkButton } from '@grafana/ui';
import { testIds } from '../../components/testIds';

/** The coverage notice of this query's frames, if the sidecar sent one, and whether a running backfill loads the missing hours first. */
export function coverageNoticeOf(data: PanelData | undefined, refId: string) {
  for (const frame of data?.series ?? []) {
    if (frame.refId !== refId) {
      continue;
    }
    const notice = frame.meta?.notices?.find((n) => n.link?.includes('/backfills'));
    if (notice) {
      return { notice, loadingFirst: Boolean(frame.meta?.custom?.loadingFirst) };
    }
  }
  return undefined;
}

/** Says when the time range is not (fully) ingested yet, with a way to backfill it, or that a running backfill loads it first. */
export function CoverageNotice({ data, refId }: { data?: PanelData; refId: string }) {
  const found = coverageNoticeOf(data, refId);
  if (!found) {
    return null;
  }
  const { notice, loadingFirst } = found;
  return (
    <Alert
      data-testid={testIds.queryEditor.coverage}
      severity={notice.severity === 'warning' ? 'warning' : 'info'}
      title={loadingFirst ? 'The missing hours are being loaded first' : 'Part of this time range is not loaded yet'}
      bottomSpacing={0}
      topSpacing={1}
    >
      {notice.text}{' '}
      {notice.link && (
        <LinkButton size="sm" variant="secondary" icon={loadingFirst ? 'sync' : 'cloud-download'} href={notice.link}>
          {loadingFirst ? 'Show the backfill' : 'Start a backfill'}
        </LinkButton>
      )}
    </Alert>
  );
}
