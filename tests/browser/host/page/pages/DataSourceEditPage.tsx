import { useEffect, useState } from 'react';
import type { DataSourcePluginMeta, DataSourceSettings } from '@grafana/data';
import { selectors } from '@grafana/e2e-selectors';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, Field, Input, LoadingPlaceholder, Stack } from '@grafana/ui';
import { useParams } from 'react-router-dom';
import type { DataSourceSettingsDto } from '../../bootData';
import { HostPluginPage } from '../chrome/HostPluginPage';
import { fetchPluginSettings, importDataSourcePlugin } from '../services/plugins';
import { describeError, useAsync } from './useAsync';

interface TestResult {
  status: 'success' | 'warning' | 'error';
  message: string;
  details?: string;
  verbose?: string;
}

/** Grafana's parseHealthCheckError: what "Save & test" shows when testDatasource throws. */
function failedTest(err: unknown): TestResult {
  const e = err as { error?: string; details?: { message?: string }; data?: { message?: string }; status?: number; statusText?: string };
  if (typeof e?.error === 'string') {
    return { status: 'error', message: e.error, details: e.details?.message };
  }
  if (e && typeof e.status === 'number' && 'data' in e) {
    return { status: 'error', message: e.data?.message ?? `HTTP error ${e.statusText ?? ''}`.trim() };
  }
  return { status: 'error', message: describeError(err) };
}

/**
 * `/connections/datasources/edit/:uid`: Grafana's data source settings page. The plugin's config
 * editor edits the settings held here; "Save & test" stores them (`PUT /api/datasources/uid/:uid`),
 * reloads the instance settings and runs the new instance's `testDatasource()`.
 */
export function DataSourceEditPage() {
  const { uid = '' } = useParams();
  const loaded = useAsync(async () => {
    const settings = await getBackendSrv().get<DataSourceSettingsDto>(`/api/datasources/uid/${uid}`);
    const meta = (await fetchPluginSettings(settings.type)) as unknown as DataSourcePluginMeta;
    return { settings, plugin: await importDataSourcePlugin(meta) };
  }, [uid]);
  const [options, setOptions] = useState<DataSourceSettings>();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestResult>();

  useEffect(() => {
    if (loaded.value) {
      setOptions(loaded.value.settings as unknown as DataSourceSettings);
    }
  }, [loaded.value]);

  if (loaded.loading || (loaded.value && !options)) {
    return <LoadingPlaceholder text="Loading data source" />;
  }
  if (loaded.error || !options) {
    return (
      <Alert severity="error" title="Could not load the data source">
        {loaded.error?.message}
      </Alert>
    );
  }
  const ConfigEditor = loaded.value!.plugin.components.ConfigEditor;

  const saveAndTest = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      const saved = await getBackendSrv().put<{ datasource: DataSourceSettings }>(`/api/datasources/uid/${uid}`, options, { showSuccessAlert: false });
      setOptions(saved.datasource);
      await getDataSourceSrv().reload();
      const ds = await getDataSourceSrv().get(uid);
      const outcome = await ds.testDatasource();
      setResult({
        status: outcome.status === 'success' ? 'success' : outcome.status === 'warning' ? 'warning' : 'error',
        message: outcome.message,
        details: outcome.details?.message,
        verbose: outcome.details?.verboseMessage,
      });
    } catch (err) {
      setResult(failedTest(err));
    } finally {
      setTesting(false);
    }
  };

  return (
    <HostPluginPage pageNav={{ text: options.name, subTitle: `Type: ${loaded.value!.plugin.meta.name}` }}>
      <Stack direction="column" gap={2}>
        <Field label="Name">
          <Input
            width={40}
            value={options.name}
            data-testid={selectors.pages.DataSource.name}
            onChange={(e) => setOptions({ ...options, name: e.currentTarget.value })}
          />
        </Field>
        {ConfigEditor ? (
          <ConfigEditor options={options} onOptionsChange={setOptions} />
        ) : (
          <Alert severity="error" title="This data source has no config editor" />
        )}
        {result && (
          <div data-testid={selectors.pages.DataSource.alert}>
            <Alert severity={result.status} title={result.message}>
              {result.details}
              {result.verbose && (
                <details>
                  <summary>Details</summary>
                  <pre>{result.verbose}</pre>
                </details>
              )}
            </Alert>
          </div>
        )}
        <Stack gap={1}>
          <Button variant="primary" disabled={testing} onClick={saveAndTest} data-testid={selectors.pages.DataSource.saveAndTest}>
            {testing ? 'Testing...' : 'Save & test'}
          </Button>
        </Stack>
      </Stack>
    </HostPluginPage>
  );
}
