import React, { ChangeEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

import type { AppSettings } from '../../types';

type AppPluginSettings = AppSettings;

type State = {
  sidecarUrl: string;
  /** True when Grafana already holds a token (it is never sent back to the browser). */
  isApiTokenSet: boolean;
  apiToken: string;
};

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppPluginSettings>> {}

const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    sidecarUrl: jsonData?.sidecarUrl || '',
    apiToken: '',
    isApiTokenSet: Boolean(secureJsonFields?.apiToken),
  });

  const isSubmitDisabled = Boolean(!state.sidecarUrl || (!state.isApiTokenSet && !state.apiToken));

  const onResetApiToken = () =>
    setState({
      ...state,
      apiToken: '',
      isApiTokenSet: false,
    });

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    setState({
      ...state,
      [event.target.name]: event.target.value.trim(),
    });
  };

  const onSubmit = () => {
    if (isSubmitDisabled) {
      return;
    }

    updatePluginAndReload(plugin.meta.id, {
      enabled,
      pinned,
      jsonData: {
        sidecarUrl: state.sidecarUrl,
      },
      // Grafana never returns the token; keep the stored one unless it was reset.
      secureJsonData: state.isApiTokenSet
        ? undefined
        : {
            apiToken: state.apiToken,
          },
    });
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="Sidecar">
        <Field label="Sidecar URL" description="Where Grafana's server reaches the Lookback sidecar">
          <Input
            width={60}
            name="sidecarUrl"
            id="config-sidecar-url"
            data-testid={testIds.appConfig.sidecarUrl}
            value={state.sidecarUrl}
            placeholder="http://lookback:8089"
            onChange={onChange}
          />
        </Field>

        <Field label="API token" description="The sidecar's API token; Grafana adds it to proxied requests" className={s.marginTop}>
          <SecretInput
            width={60}
            id="config-api-token"
            data-testid={testIds.appConfig.apiToken}
            name="apiToken"
            value={state.apiToken}
            isConfigured={state.isApiTokenSet}
            placeholder="Token printed by the sidecar on first start"
            onChange={onChange}
            onReset={onResetApiToken}
          />
        </Field>

        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            Save settings
          </Button>
        </div>
      </FieldSet>
    </form>
  );
};

export default AppConfig;

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});

const updatePluginAndReload = async (pluginId: string, data: Partial<PluginMeta<AppPluginSettings>>) => {
  try {
    await updatePlugin(pluginId, data);

    // Reloading the page as the changes made here wouldn't be propagated to the actual plugin otherwise.
    // This is not ideal, however unfortunately currently there is no supported way for updating the plugin state.
    window.location.reload();
  } catch (e) {
    console.error('Error while updating the plugin', e);
  }
};

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta>) => {
  const response = await getBackendSrv().fetch({
    url: `/api/plugins/${pluginId}/settings`,
    method: 'POST',
    data,
  });

  return lastValueFrom(response);
};
