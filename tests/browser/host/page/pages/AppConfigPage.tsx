import { css } from '@emotion/css';
import { useMemo } from 'react';
import type { AppPluginMeta, GrafanaTheme2 } from '@grafana/data';
import { locationSearchToObject } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, Stack, Tab, TabContent, TabsBar, Text, useStyles2, type IconName } from '@grafana/ui';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { hostTestIds } from '../../testIds';
import { fetchPluginSettings, importAppPlugin } from '../services/plugins';
import { useAsync } from './useAsync';

/**
 * `/plugins/:pluginId?page=<config page id>`: Grafana's plugin details page for an app, with
 * its configuration pages as tabs; each body gets `{ plugin, query }` as in Grafana.
 */
export function AppConfigPage() {
  const styles = useStyles2(getStyles);
  const { pluginId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const query = useMemo(() => locationSearchToObject(location.search), [location.search]);
  const app = useAsync(async () => importAppPlugin((await fetchPluginSettings(pluginId)) as unknown as AppPluginMeta), [pluginId]);

  if (app.loading) {
    return <LoadingPlaceholder text="Loading plugin" />;
  }
  if (app.error) {
    return (
      <Alert severity="error" title={`Could not load the plugin ${pluginId}`}>
        {app.error.message}
      </Alert>
    );
  }
  const plugin = app.value;
  const pages = plugin.configPages ?? [];
  const active = pages.find((p) => p.id === query.page) ?? pages[0];
  return (
    <Stack direction="column" gap={2}>
      <div className={styles.header}>
        <img src={plugin.meta.info.logos.large} alt="" className={styles.logo} />
        <div>
          <h1 className={styles.title}>{plugin.meta.name}</h1>
          <Text color="secondary">
            {plugin.meta.info.author?.name} · Version {plugin.meta.info.version} · {plugin.meta.info.description}
          </Text>
        </div>
      </div>
      <TabsBar>
        {pages.map((page) => (
          <Tab
            key={page.id}
            label={page.title}
            icon={page.icon as IconName}
            active={page === active}
            data-testid={hostTestIds.appConfig.tab(page.id)}
            onChangeTab={() => navigate(`/plugins/${pluginId}?page=${page.id}`)}
          />
        ))}
      </TabsBar>
      <TabContent>{active ? <active.body plugin={plugin} query={query} /> : <Alert severity="info" title="This app has no configuration pages" />}</TabContent>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  header: css({ display: 'flex', gap: theme.spacing(2), alignItems: 'center' }),
  logo: css({ width: 48, height: 48 }),
  title: css({ margin: 0, fontSize: theme.typography.h2.fontSize }),
});
