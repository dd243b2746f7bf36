import React from 'react';
import { FieldColorModeId, VizOrientation, type FieldConfig } from '@grafana/data';
import { BarGaugeDisplayMode, BarGaugeValueMode } from '@grafana/schema';
import { BarGauge, LoadingBar, useTheme2 } from '@grafana/ui';
import { progressShare } from '../../api/progress';
import type { Backfill } from '../../shared/backfill';
import { testIds } from '../testIds';

const WIDTH = 420;
const HEIGHT = 22;

function barColor(backfill: Backfill, palette: { success: string; error: string; warning: string; primary: string }): string {
  switch (backfill.state) {
    case 'done':
      return backfill.counters.failed > 0 ? palette.warning : palette.success;
    case 'failed':
      return palette.error;
    case 'cancelled':
      return palette.warning;
    default:
      return palette.primary;
  }
}

/** Share of the listed objects done, as Grafana's bar gauge; an indeterminate bar while nothing is listed yet. */
export function BackfillProgress({ backfill }: { backfill: Backfill }) {
  const theme = useTheme2();
  const share = progressShare(backfill);
  const label = share === null ? 'listing objects' : `${Math.floor(share * 100)}%`;
  const color = barColor(backfill, {
    success: theme.colors.success.main,
    error: theme.colors.error.main,
    warning: theme.colors.warning.main,
    primary: theme.colors.primary.main,
  });
  const field: FieldConfig = { min: 0, max: 100, unit: 'percent', color: { mode: FieldColorModeId.Fixed, fixedColor: color } };
  return (
    <div
      data-testid={testIds.backfills.progress(backfill.id)}
      role="progressbar"
      aria-label={`Progress of backfill ${backfill.id}`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={share === null ? undefined : Math.floor(share * 100)}
      aria-valuetext={label}
      style={{ width: WIDTH }}
    >
      {share === null ? (
        backfill.state === 'planning' || backfill.state === 'listing' ? (
          <LoadingBar width={WIDTH} />
        ) : null
      ) : (
        <BarGauge
          theme={theme}
          width={WIDTH}
          height={HEIGHT}
          field={field}
          value={{ numeric: share * 100, text: String(Math.floor(share * 100)), suffix: '%', color, percent: share }}
          orientation={VizOrientation.Horizontal}
          displayMode={BarGaugeDisplayMode.Basic}
          valueDisplayMode={BarGaugeValueMode.Color}
          showUnfilled
        />
      )}
    </div>
  );
}
