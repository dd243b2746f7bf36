import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import AppConfig, { AppConfigProps } from './AppConfig';
import { testIds } from 'components/testIds';

function renderConfig(jsonData: Record<string, string>, secureJsonFields: Record<string, boolean> = {}) {
  const props = {
    plugin: { meta: { id: 'lookback-siem-app', name: 'Lookback', type: PluginType.app, enabled: true, jsonData, secureJsonFields } },
    query: {},
  } as unknown as AppConfigProps;
  render(<AppConfig {...props} />);
}

describe('AppConfig', () => {
  it('asks for the sidecar URL and token, and only saves when both are there', () => {
    renderConfig({});
    expect(screen.getByRole('group', { name: /sidecar/i })).toBeInTheDocument();
    const save = screen.getByRole('button', { name: /save settings/i });
    expect(save).toBeDisabled();
    fireEvent.change(screen.getByTestId(testIds.appConfig.sidecarUrl), { target: { value: 'http://lookback:8089' } });
    expect(save).toBeDisabled();
    fireEvent.change(screen.getByTestId(testIds.appConfig.apiToken), { target: { value: 'secret-token' } });
    expect(save).toBeEnabled();
  });

  it('shows a stored token as configured without revealing it', () => {
    renderConfig({ sidecarUrl: 'http://lookback:8089' }, { apiToken: true });
    expect(screen.getByTestId(testIds.appConfig.sidecarUrl)).toHaveValue('http://lookback:8089');
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
    expect(screen.getByRole('button', { name: /save settings/i })).toBeEnabled();
  });
});
