import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import { testIds } from '../../components/testIds';
import type { LookbackOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

function settings(jsonData: LookbackOptions, secureJsonFields: Record<string, boolean> = {}): DataSourceSettings<LookbackOptions> {
  return {
    id: 1,
    uid: 'ds1',
    name: 'Lookback',
    type: 'lookback-logs-datasource',
    access: 'proxy',
    jsonData,
    secureJsonFields,
  } as unknown as DataSourceSettings<LookbackOptions>;
}

describe('ConfigEditor', () => {
  it('edits the sidecar URL, line limit and volume grouping, and checks the URL', () => {
    const onOptionsChange = jest.fn();
    const { rerender } = render(<ConfigEditor options={settings({})} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByTestId(testIds.configEditor.sidecarUrl), { target: { value: ' http://lookback:8089 ' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { sidecarUrl: 'http://lookback:8089' } }));
    fireEvent.change(screen.getByTestId(testIds.configEditor.maxLines), { target: { value: '5000' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { maxLines: 5000 } }));
    fireEvent.click(screen.getByRole('radio', { name: 'Outcome' }));
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { volumeBy: 'outcome' } }));

    rerender(<ConfigEditor options={settings({ sidecarUrl: 'lookback:8089', maxLines: 0 })} onOptionsChange={onOptionsChange} />);
    expect(screen.getByText('An http:// or https:// URL, e.g. http://lookback:8089')).toBeInTheDocument();
    expect(screen.getByText('A whole number from 1 to 100,000')).toBeInTheDocument();
  });

  it('saves the sidecar URL without the trailing slash that would make its routes call //api/...', () => {
    const onOptionsChange = jest.fn();
    const { rerender } = render(<ConfigEditor options={settings({})} onOptionsChange={onOptionsChange} />);
    const input = screen.getByTestId(testIds.configEditor.sidecarUrl);
    fireEvent.change(input, { target: { value: 'http://lookback:8089/' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { sidecarUrl: 'http://lookback:8089' } }));
    rerender(<ConfigEditor options={settings({ sidecarUrl: 'http://lookback:8089' })} onOptionsChange={onOptionsChange} />);
    // What was typed stays as typed, so a path can follow the slash.
    expect(input).toHaveValue('http://lookback:8089/');
    fireEvent.change(input, { target: { value: 'http://proxy/lookback//' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { sidecarUrl: 'http://proxy/lookback' } }));
    rerender(<ConfigEditor options={settings({ sidecarUrl: 'http://elsewhere:8089' })} onOptionsChange={onOptionsChange} />);
    expect(input).toHaveValue('http://elsewhere:8089');
  });

  it('keeps the token write-only: typed into secureJsonData, shown only as configured, resettable', () => {
    const onOptionsChange = jest.fn();
    const { rerender } = render(<ConfigEditor options={settings({ sidecarUrl: 'http://x' })} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByTestId(testIds.configEditor.apiToken), { target: { value: 'tok-123' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ secureJsonData: { apiToken: 'tok-123' } }));

    rerender(<ConfigEditor options={settings({ sidecarUrl: 'http://x' }, { apiToken: true })} onOptionsChange={onOptionsChange} />);
    expect(screen.getByTestId(testIds.configEditor.apiToken)).toHaveValue('configured');
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onOptionsChange).toHaveBeenLastCalledWith(expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } }));
  });
});
