import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import { APP_PROXY, FakeBackend } from '../../__fixtures__/fakeBackend';
import { health, sources } from '../../__fixtures__/sidecar';
import { testIds } from '../testIds';
import AppConfig, { type AppConfigProps } from './AppConfig';

const mockBackend = new FakeBackend();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend,
}));

const SETTINGS = '/api/plugins/lookback-siem-app/settings';

function renderConfig(jsonData: Record<string, string>, secureJsonFields: Record<string, boolean> = {}, enabled = true) {
  const props = {
    plugin: { meta: { id: 'lookback-siem-app', name: 'Lookback', type: PluginType.app, enabled, pinned: true, jsonData, secureJsonFields } },
    query: {},
  } as unknown as AppConfigProps;
  render(<AppConfig {...props} />);
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe('AppConfig', () => {
  beforeEach(() => {
    mockBackend.reset();
    mockBackend
      .on('POST', SETTINGS, { status: 200, body: { message: 'Plugin settings updated' } })
      .on('GET', `${APP_PROXY}/api/health`, { status: 200, body: health })
      .on('GET', `${APP_PROXY}/api/sources`, { status: 200, body: sources });
  });

  it('asks for a valid sidecar URL and a token before saving', () => {
    renderConfig({});
    expect(screen.getByRole('group', { name: /sidecar/i })).toBeInTheDocument();
    const save = screen.getByRole('button', { name: /save & test/i });
    expect(save).toBeDisabled();
    type(testIds.appConfig.sidecarUrl, 'lookback:8089');
    expect(screen.getByText('An http:// or https:// URL, e.g. http://lookback:8089')).toBeInTheDocument();
    type(testIds.appConfig.sidecarUrl, 'http://lookback:8089');
    expect(save).toBeDisabled();
    type(testIds.appConfig.apiToken, 'secret-token');
    expect(save).toBeEnabled();
  });

  it('saves the URL and token, then tests the connection and offers a backfill', async () => {
    renderConfig({}, {});
    // Saved without the trailing slash: the app's routes append /api/... to it.
    type(testIds.appConfig.sidecarUrl, 'http://lookback:8089/');
    type(testIds.appConfig.apiToken, 'secret-token');
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    const result = await screen.findByTestId(testIds.appConfig.result);
    expect(mockBackend.sent('POST', SETTINGS)[0].data).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { sidecarUrl: 'http://lookback:8089' },
      secureJsonData: { apiToken: 'secret-token' },
    });
    expect(result).toHaveTextContent(
      'Connected to Lookback sidecar 0.1.0: store (chdb) ok; 1,226 events from 49 objects, 1 failed objects, 2 malformed records; 2 sources (alb, cloudtrail)'
    );
    expect(result).toHaveTextContent('ok cloudtrail backfill queue');
    expect(await screen.findByTestId(testIds.backfillForm.form)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
  });

  it('keeps a stored token: it is never sent back, and the page tests the connection as it opens', async () => {
    renderConfig({ sidecarUrl: 'http://lookback:8089' }, { apiToken: true });
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
    expect(await screen.findByTestId(testIds.appConfig.result)).toHaveTextContent('Connected');
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(mockBackend.sent('POST', SETTINGS)).toHaveLength(1));
    expect(mockBackend.sent('POST', SETTINGS)[0].data).not.toHaveProperty('secureJsonData');
  });

  it('says why the connection fails', async () => {
    mockBackend.on('GET', `${APP_PROXY}/api/sources`, {
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'missing or wrong API token: send Authorization: Bearer <token>' },
    });
    renderConfig({ sidecarUrl: 'http://lookback:8089' }, { apiToken: true });
    const result = await screen.findByTestId(testIds.appConfig.result);
    expect(result).toHaveTextContent('Not connected');
    expect(result).toHaveTextContent('list sources: the sidecar rejected the API token (missing or wrong API token');
    expect(screen.queryByTestId(testIds.backfillForm.form)).not.toBeInTheDocument();

    mockBackend.on('GET', `${APP_PROXY}/api/health`, {
      status: 503,
      body: { ...health, status: 'error', store: { name: 'store (chdb)', status: 'error', detail: 'disk full' } },
    });
    mockBackend.on('GET', `${APP_PROXY}/api/sources`, { status: 200, body: sources });
    fireEvent.click(screen.getByTestId(testIds.appConfig.test));
    await waitFor(() => expect(screen.getByTestId(testIds.appConfig.result)).toHaveTextContent('is unhealthy: store (chdb): disk full'));
  });

  it('shows why the settings were not saved', async () => {
    mockBackend.on('POST', SETTINGS, { status: 403, body: { message: 'Permission denied' } });
    renderConfig({ sidecarUrl: 'http://lookback:8089' }, { apiToken: true });
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    expect(await screen.findByText(/save the settings: Grafana refused the request \(Permission denied\)/)).toBeInTheDocument();
  });
});
