import { useMemo } from 'react';
import { applyFieldOverrides, FieldColorModeId, type DataFrame, type FieldConfigSource, type TimeRange } from '@grafana/data';
import { LegendDisplayMode, type GraphFieldConfig } from '@grafana/schema';
import { TimeSeries, useTheme2 } from '@grafana/ui';
import { useWidth } from './useWidth';

export interface GraphViewProps {
  frames: DataFrame[];
  timeRange: TimeRange;
  height: number;
  /** Field config Explore gives this graph (lines for results, stacked bars for the log volume). */
  fieldConfig: FieldConfigSource<GraphFieldConfig>;
  testId: string;
}

export const LINES: FieldConfigSource<GraphFieldConfig> = {
  defaults: {
    color: { mode: FieldColorModeId.PaletteClassic },
    custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'auto', pointSize: 5, spanNulls: false } as GraphFieldConfig,
  },
  overrides: [],
};

/** Explore's graph: the frames through field overrides into @grafana/ui's TimeSeries. */
export function GraphView({ frames, timeRange, height, fieldConfig, testId }: GraphViewProps) {
  const theme = useTheme2();
  const [ref, width] = useWidth<HTMLDivElement>();
  const prepared = useMemo(() => {
    // Grafana's panel registry would fill `custom` (draw style, stacking) from the defaults; a
    // host without panel plugins puts the defaults on the fields itself.
    const { custom, color } = fieldConfig.defaults;
    const withDefaults = frames.map((frame) => ({
      ...frame,
      fields: frame.fields.map((field) => ({ ...field, config: { color, ...field.config, custom: { ...custom, ...field.config.custom } } })),
    }));
    return applyFieldOverrides({ data: withDefaults, fieldConfig, replaceVariables: (v) => v, theme, timeZone: 'utc' });
  }, [frames, fieldConfig, theme]);
  return (
    <div ref={ref} data-testid={testId}>
      {width > 0 && (
        <TimeSeries
          frames={prepared}
          width={width}
          height={height}
          timeRange={timeRange}
          timeZone="utc"
          legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
        />
      )}
    </div>
  );
}
