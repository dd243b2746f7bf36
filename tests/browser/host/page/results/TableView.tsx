import { useMemo } from 'react';
import { applyFieldOverrides, type DataFrame } from '@grafana/data';
import { Table, Text, useTheme2 } from '@grafana/ui';
import { hostTestIds } from '../../testIds';
import { useWidth } from './useWidth';

/** Explore's table: each frame through field overrides into @grafana/ui's Table. */
export function TableView({ frames }: { frames: DataFrame[] }) {
  const theme = useTheme2();
  const [ref, width] = useWidth<HTMLDivElement>();
  const prepared = useMemo(
    () => applyFieldOverrides({ data: frames, fieldConfig: { defaults: {}, overrides: [] }, replaceVariables: (v) => v, theme, timeZone: 'utc' }),
    [frames, theme]
  );
  return (
    <div ref={ref} data-testid={hostTestIds.explore.tablePanel}>
      <Text element="h4">Table</Text>
      {width > 0 && prepared.map((frame, i) => <Table key={frame.refId ?? i} data={frame} width={width} height={Math.min(400, 36 * (frame.length + 1) + 8)} />)}
    </div>
  );
}
