import { css } from '@emotion/css';
import { useState } from 'react';
import { dateTimeFormat, type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Text, useStyles2 } from '@grafana/ui';
import { hostTestIds } from '../../testIds';
import { LOG_LEVEL_COLOR, logLevel } from './logLevels';
import { parseLogsFrame, type LogLine } from './logsFrame';

function LogRow({ line }: { line: LogLine }) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const level = logLevel(line.level);
  return (
    <div data-testid={hostTestIds.explore.logRow} data-level={level} className={styles.row} style={{ borderLeftColor: LOG_LEVEL_COLOR[level] }}>
      <button type="button" className={styles.line} onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className={styles.time}>{dateTimeFormat(line.time, { timeZone: 'utc', format: 'YYYY-MM-DD HH:mm:ss.SSS' })}</span>
        <span className={styles.level}>{level}</span>
        <span className={styles.body}>{line.body}</span>
      </button>
      {open && (
        <table className={styles.details}>
          <tbody>
            {Object.entries(line.labels).map(([key, value]) => (
              <tr key={key}>
                <th>{key}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * The log lines of the logs frames, newest first, with their level colour; a line opens its
 * labels. Grafana's own Logs panel lives in Grafana core, outside the packages a host can load.
 */
export function LogsView({ frames }: { frames: DataFrame[] }) {
  const styles = useStyles2(getStyles);
  const parsed = frames.map(parseLogsFrame);
  const problems = parsed.flatMap((p) => (p.problem ? [p.problem] : []));
  const lines = parsed.flatMap((p) => p.lines).sort((a, b) => b.time - a.time);
  return (
    <div data-testid={hostTestIds.explore.logsPanel} className={styles.panel}>
      <Text element="h4">Logs · {lines.length} lines</Text>
      {problems.map((problem) => (
        <Alert key={problem} severity="error" title="Not a logs frame">
          {problem}
        </Alert>
      ))}
      <div className={styles.rows}>
        {lines.map((line) => (
          <LogRow key={line.key} line={line} />
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  rows: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize, maxHeight: 600, overflowY: 'auto' }),
  row: css({ borderLeft: '4px solid', paddingLeft: theme.spacing(1), '&:hover': { background: theme.colors.action.hover } }),
  line: css({ all: 'unset', display: 'flex', gap: theme.spacing(2), width: '100%', cursor: 'pointer', padding: theme.spacing(0.25, 0) }),
  time: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  level: css({ width: 60, color: theme.colors.text.secondary }),
  body: css({ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', color: theme.colors.text.primary }),
  details: css({
    margin: theme.spacing(0.5, 0, 1, 2),
    th: { textAlign: 'left', paddingRight: theme.spacing(2), color: theme.colors.text.secondary, fontWeight: 'normal' },
  }),
});
