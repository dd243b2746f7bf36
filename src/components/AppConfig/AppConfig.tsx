import React, { useEffect, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, FieldSet, Stack, Text } from '@grafana/ui';
import { appClient } from '../../api/app';
import { testConnection, type ConnectionReport } from '../../api/connection';
import { toSidecarError } from '../../api/errors';
import type { Backfill, SourceStatus } from '../../shared/backfill';
import { BackfillForm } from '../backfills/BackfillForm';
import { isSidecarUrlValid, SidecarFields } from '../SidecarFields';
import { PLUGIN_BASE_URL } from '../../constants';
import { testIds } from '../testIds';

/** The app's settings in Grafana (jsonData); the API token lives in secureJsonData.apiToken. */
export interface AppSettings {
  sidecarUrl?: string;
}

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

async function saveSettings(pluginId: string, sidecarUrl: string, apiToken: string | undefined, pinned: boolean | undefined): Promise<void> {
  try {
    await lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/plugins/${pluginId}/settings`,
        method: 'POST',
        // Any secureJsonData value, even '', replaces the stored token: send it only when typed.
        data: { enabled: true, pinned: pinned ?? true, jsonData: { sidecarUrl }, ...(apiToken !== undefined ? { secureJsonData: { apiToken } } : {}) },
        showErrorAlert: false,
      })
    );
  } catch (err) {
    throw toSidecarError(err, 'save the settings');
  }
}

function ConnectionResult({ report }: { report: ConnectionReport }) {
  return (
    <div data-testid={testIds.appConfig.result}>
      <Alert severity={report.status} title={report.status === 'success' ? 'Connected' : 'Not connected'} bottomSpacing={0}>
        <Stack direction="column" gap={0.5}>
          <Text>{report.message}</Text>
          {report.details.map((line) => (
            <Text key={line} variant="bodySmall" color="secondary">
              {line}
            </Text>
          ))}
        </Stack>
      </Alert>
    </div>
  );
}

/**
 * The app's configuration: where Grafana reaches the sidecar and its token (kept in
 * secureJsonData, added by the proxy route), a connection test, and a backfill to start.
 */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { jsonData, secureJsonFields, enabled, pinned } = plugin.meta;
  const [sidecarUrl, setSidecarUrl] = useState(jsonData?.sidecarUrl ?? '');
  const [apiToken, setApiToken] = useState('');
  const [tokenStored, setTokenStored] = useState(Boolean(secureJsonFields?.apiToken));
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [report, setReport] = useState<ConnectionReport>();
  const [started, setStarted] = useState<Backfill>();

  const canSave = sidecarUrl !== '' && isSidecarUrlValid(sidecarUrl) && (tokenStored || apiToken !== '');
  const sources: SourceStatus[] = report?.sources ?? [];

  const test = async () => {
    setTesting(true);
    try {
      setReport(await testConnection(appClient, sidecarUrl));
    } finally {
      setTesting(false);
    }
  };

  // A configured app shows its connection (and the backfill form) as the page opens.
  const configured = Boolean(enabled && jsonData?.sidecarUrl && secureJsonFields?.apiToken);
  useEffect(() => {
    if (configured) {
      testConnection(appClient, jsonData?.sidecarUrl).then(setReport);
    }
  }, [configured, jsonData?.sidecarUrl]);

  const save = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    if (!canSave) {
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      await saveSettings(plugin.meta.id, sidecarUrl, tokenStored ? undefined : apiToken, pinned);
      if (!enabled) {
        // Grafana shows a newly enabled app's pages in its menu only after a reload.
        window.location.reload();
        return;
      }
      setTokenStored(true);
      setApiToken('');
      await test();
    } catch (err) {
      setSaveError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack direction="column" gap={3}>
      <form onSubmit={save} noValidate>
        <FieldSet label="Sidecar">
          <SidecarFields
            idPrefix="config"
            testIds={testIds.appConfig}
            width={60}
            url={sidecarUrl}
            onUrlChange={setSidecarUrl}
            token={apiToken}
            tokenStored={tokenStored}
            onTokenChange={setApiToken}
            onTokenReset={() => {
              setTokenStored(false);
              setApiToken('');
            }}
          />
          {saveError && (
            <Alert severity="error" title="The settings were not saved">
              {saveError}
            </Alert>
          )}
          <Stack gap={1}>
            <Button type="submit" data-testid={testIds.appConfig.submit} disabled={!canSave || saving} icon={saving ? 'spinner' : undefined}>
              Save &amp; test
            </Button>
            <Button
              type="button"
              variant="secondary"
              data-testid={testIds.appConfig.test}
              disabled={testing || !enabled}
              icon={testing ? 'spinner' : 'heart-rate'}
              onClick={test}
            >
              Test connection
            </Button>
          </Stack>
        </FieldSet>
      </form>
      {report && <ConnectionResult report={report} />}
      {report?.status === 'success' && (
        <FieldSet label="Start a backfill">
          <Text color="secondary">
            Load a time range of an existing source&apos;s logs. Progress, coverage and errors are on the <a href={`${PLUGIN_BASE_URL}/backfills`}>Backfills</a>{' '}
            page.
          </Text>
          <BackfillForm sources={sources} onStarted={setStarted} />
          {started && (
            <Alert severity="success" title={`Backfill ${started.id} started`}>
              Follow it on the <a href={`${PLUGIN_BASE_URL}/backfills`}>Backfills</a> page.
            </Alert>
          )}
        </FieldSet>
      )}
    </Stack>
  );
};

export default AppConfig;
