import { useMemo } from 'react';
import { FieldColorModeId, FieldType, type DataFrame, type FieldConfigSource, type TimeRange } from '@grafana/data';
import { StackingMode, type GraphFieldConfig } from '@grafana/schema';
import { Text } from '@grafana/ui';
import { hostTestIds } from '../../testIds';
import { GraphView } from './GraphView';
import { LOG_LEVEL_COLOR, logLevel } from './logLevels';

const BARS: FieldConfigSource<GraphFieldConfig> = {
  defaults: {
    color: { mode: FieldColorModeId.PaletteClassic },
    custom: { drawStyle: 'bars', barAlignment: 0, fillOpacity: 100, lineWidth: 1, stacking: { mode: StackingMode.Normal, group: 'A' } } as GraphFieldConfig,
  },
  overrides: [],
};

/** The name a volume series goes by: its label value, the data source's display name, or the field name. */
function seriesName(frame: DataFrame): string {
  const value = frame.fields.find((f) => f.type === FieldType.number);
  const labels = Object.values(value?.labels ?? {});
  return labels[0] ?? value?.config.displayNameFromDS ?? frame.name ?? value?.name ?? '';
}

/** Explore's logs volume: stacked bars per level, coloured like the log lines. */
export function LogVolumeView({ frames, timeRange }: { frames: DataFrame[]; timeRange: TimeRange }) {
  const coloured = useMemo(
    () =>
      frames.map((frame) => {
        const level = logLevel(seriesName(frame));
        const color = LOG_LEVEL_COLOR[level];
        return {
          ...frame,
          fields: frame.fields.map((f) =>
            f.type === FieldType.number && level !== 'unknown'
              ? { ...f, config: { ...f.config, color: { mode: FieldColorModeId.Fixed, fixedColor: color } } }
              : f
          ),
        };
      }),
    [frames]
  );
  return (
    <div>
      <Text element="h4">Logs volume</Text>
      <GraphView frames={coloured} timeRange={timeRange} height={150} fieldConfig={BARS} testId={hostTestIds.explore.logVolumePanel} />
    </div>
  );
}
