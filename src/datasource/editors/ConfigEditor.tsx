import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup, SecretInput } from '@grafana/ui';
import { testIds } from '../../components/testIds';
import { DEFAULT_MAX_LINES, type LookbackOptions, type LookbackSecureJsonData, type VolumeGrouping } from '../types';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<LookbackOptions, LookbackSecureJsonData>;

const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** Sidecar URL and token; "Save & test" then checks them through Grafana's proxy. */
export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const { jsonData, secureJsonFields } = options;
  const secureJsonData = (options.secureJsonData ?? {}) as LookbackSecureJsonData;
  const setJson = (patch: Partial<LookbackOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const url = jsonData.sidecarUrl ?? '';
  const badUrl = url !== '' && !URL_PATTERN.test(url);
  const maxLines = jsonData.maxLines;
  const badLines = maxLines !== undefined && (!Number.isInteger(maxLines) || maxLines < 1 || maxLines > 100_000);

  return (
    <>
      <FieldSet label="Sidecar">
        <Field
          label="Sidecar URL"
          description="Where Grafana's server (not your browser) reaches the Lookback sidecar"
          required
          invalid={badUrl}
          error={badUrl ? 'An http:// or https:// URL, e.g. http://lookback:8089' : undefined}
        >
          <Input
            id="lookback-sidecar-url"
            data-testid={testIds.configEditor.sidecarUrl}
            width={50}
            value={url}
            placeholder="http://lookback:8089"
            onChange={(e) => setJson({ sidecarUrl: e.currentTarget.value.trim() })}
          />
        </Field>
        <Field label="API token" description="The sidecar's API token; Grafana adds it to proxied requests and never sends it to browsers" required>
          <SecretInput
            id="lookback-api-token"
            data-testid={testIds.configEditor.apiToken}
            width={50}
            isConfigured={Boolean(secureJsonFields?.apiToken)}
            value={secureJsonData.apiToken ?? ''}
            placeholder="Token printed by the sidecar on first start"
            onChange={(e) => onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken: e.currentTarget.value.trim() } })}
            onReset={() =>
              onOptionsChange({
                ...options,
                secureJsonFields: { ...secureJsonFields, apiToken: false },
                secureJsonData: { ...secureJsonData, apiToken: '' },
              })
            }
          />
        </Field>
      </FieldSet>
      <FieldSet label="Queries">
        <Field
          label="Default line limit"
          description="Rows a query returns when it sets no limit of its own"
          invalid={badLines}
          error={badLines ? 'A whole number from 1 to 100,000' : undefined}
        >
          <Input
            id="lookback-max-lines"
            data-testid={testIds.configEditor.maxLines}
            type="number"
            width={16}
            placeholder={String(DEFAULT_MAX_LINES)}
            value={maxLines ?? ''}
            onChange={(e) => setJson({ maxLines: e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value) })}
          />
        </Field>
        <Field label="Log volume by" description="What the histogram above log lines in Explore splits counts by">
          <RadioButtonGroup<VolumeGrouping>
            data-testid={testIds.configEditor.volumeBy}
            options={[
              { value: 'severity', label: 'Severity' },
              { value: 'outcome', label: 'Outcome' },
            ]}
            value={jsonData.volumeBy ?? 'severity'}
            onChange={(volumeBy) => setJson({ volumeBy })}
          />
        </Field>
      </FieldSet>
    </>
  );
}
