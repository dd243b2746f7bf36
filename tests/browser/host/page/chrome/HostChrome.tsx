import { css, cx } from '@emotion/css';
import type { ReactNode } from 'react';
import type { GrafanaTheme2, NavModelItem } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Icon, Text, useStyles2, type IconName } from '@grafana/ui';
import { Link, useLocation } from 'react-router-dom';
import { activeNavPath, navTree } from './navTree';
import { Toasts } from './Toasts';

function NavItems({ items, active, depth }: { items: NavModelItem[]; active: NavModelItem[]; depth: number }) {
  const styles = useStyles2(getStyles);
  return (
    <ul className={styles.navList}>
      {items.map((item) => {
        const isActive = active[active.length - 1] === item;
        return (
          <li key={item.id ?? item.text}>
            {item.url ? (
              <Link to={item.url} className={cx(styles.navLink, isActive && styles.navActive)} style={{ paddingLeft: 12 + depth * 16 }}>
                {item.icon && <Icon name={item.icon as IconName} />}
                {item.text}
              </Link>
            ) : (
              <span className={styles.navSection} style={{ paddingLeft: 12 + depth * 16 }}>
                {item.icon && <Icon name={item.icon as IconName} />}
                {item.text}
              </span>
            )}
            {item.children && item.children.length > 0 && <NavItems items={item.children} active={active} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

/** Grafana's page frame, reduced to what a page of a plugin sits in: top bar, menu, content. */
export function HostChrome({ children }: { children: ReactNode }) {
  const styles = useStyles2(getStyles);
  const { pathname } = useLocation();
  const active = activeNavPath(pathname);
  return (
    <div className={styles.root}>
      <header className={styles.topBar}>
        <Icon name="grafana" size="lg" />
        <nav className={styles.breadcrumbs} aria-label="Breadcrumbs">
          {['Home', ...active.map((item) => item.text)].map((text, i, all) => (
            <span key={`${text}-${i}`} className={i === all.length - 1 ? styles.crumbCurrent : undefined}>
              {text}
              {i < all.length - 1 && <Icon name="angle-right" className={styles.crumbSep} />}
            </span>
          ))}
        </nav>
        <Text color="secondary" variant="bodySmall">
          Lookback browser test host · {config.theme2.isDark ? 'dark' : 'light'}
        </Text>
      </header>
      <div className={styles.body}>
        <aside className={styles.menu}>
          <NavItems items={navTree()} active={active} depth={0} />
        </aside>
        <main className={styles.content}>{children}</main>
      </div>
      <Toasts />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ minHeight: '100vh', display: 'flex', flexDirection: 'column', background: theme.colors.background.canvas }),
  topBar: css({
    height: 40,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(0, 2),
    background: theme.colors.background.primary,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  breadcrumbs: css({ flex: 1, display: 'flex', gap: theme.spacing(0.5), color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  crumbCurrent: css({ color: theme.colors.text.primary }),
  crumbSep: css({ margin: theme.spacing(0, 0.5) }),
  body: css({ flex: 1, display: 'flex' }),
  menu: css({
    width: 240,
    flexShrink: 0,
    background: theme.colors.background.primary,
    borderRight: `1px solid ${theme.colors.border.weak}`,
    paddingTop: theme.spacing(1),
  }),
  navList: css({ listStyle: 'none', margin: 0, padding: 0 }),
  navLink: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 1.5),
    color: theme.colors.text.secondary,
    '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
  }),
  navActive: css({ color: theme.colors.text.primary, background: theme.colors.action.selected, borderLeft: `3px solid ${theme.colors.primary.main}` }),
  navSection: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 1.5),
    color: theme.colors.text.primary,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  content: css({ flex: 1, minWidth: 0, padding: theme.spacing(3) }),
});
