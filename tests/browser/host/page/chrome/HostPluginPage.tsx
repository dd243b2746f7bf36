import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { PluginPageProps } from '@grafana/runtime';
import { Stack, Text, useStyles2 } from '@grafana/ui';
import { useLocation } from 'react-router-dom';
import { hostTestIds } from '../../testIds';
import { activeNavPath } from './navTree';

/**
 * What Grafana renders for `<PluginPage>`: the page title (the plugin's `pageNav`, or the nav
 * item of the current URL), its subtitle and actions, and the page body under them.
 */
export function HostPluginPage({ pageNav, subTitle, actions, children, renderTitle }: PluginPageProps) {
  const styles = useStyles2(getStyles);
  const { pathname } = useLocation();
  const active = activeNavPath(pathname);
  const current = active[active.length - 1];
  const title = pageNav?.text ?? current?.text ?? '';
  const subtitle = subTitle ?? pageNav?.subTitle ?? current?.subTitle;
  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <Stack justifyContent="space-between" alignItems="flex-start">
          <div data-testid={hostTestIds.chrome.pageTitle}>{renderTitle ? renderTitle(title) : <h1 className={styles.title}>{title}</h1>}</div>
          {actions && <Stack gap={1}>{actions}</Stack>}
        </Stack>
        {subtitle && (
          <Text color="secondary" element="p">
            {subtitle}
          </Text>
        )}
      </div>
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  header: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize }),
});
