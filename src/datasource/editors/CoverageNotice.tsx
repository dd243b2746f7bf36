import React from 'react';
import type { PanelData } from '@grafana/data';
import { Alert, LinkButton } from '@grafana/ui';
import { testIds } from '../../components/testIds';

/** The coverage notice of this query's frames, if the sidecar sent one. */
export function coverageNoticeOf(data: PanelData | undefined, refId: string) {
  for (const frame of data?.series ?? []) {
    if (frame.refId !== refId) {
      continue;
    }
    const notice = frame.meta?.notices?.find((n) => n.link?.includes('/backfills'));
    if (notice) {
      return notice;
    }
  }
  return undefined;
}

/** Says when the time range is not (fully) ingested yet, with a way to backfill it. */
export function CoverageNotice({ data, refId }: { data?: PanelData; refId: string }) {
  const notice = coverageNoticeOf(data, refId);
  if (!notice) {
    return null;
  }
  return (
    <Alert
      data-testid={testIds.queryEditor.coverage}
      severity={notice.severity === 'warning' ? 'warning' : 'info'}
      title="Part of this time range is not loaded yet"
      bottomSpacing={0}
      topSpacing={1}
    >
      {notice.text}{' '}
      {notice.link && (
        <LinkButton size="sm" variant="secondary" icon="cloud-download" href={notice.link}>
          Start a backfill
        </LinkButton>
      )}
    </Alert>
  );
}
