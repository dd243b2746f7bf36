import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import { SidecarFields } from '../../components/SidecarFields';
import { testIds } from '../../components/testIds';
import { DEFAULT_MAX_LINES, type LookbackOptions, type LookbackSecureJsonData, type VolumeGrouping } from '../types';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<LookbackOptions, LookbackSecureJsonData>;

/** Sidecar URL and token; "Save & test" then checks them through Grafana's proxy. */
export function ConfigEditor({ options, onOptionsChange }: ConfigEditorProps) {
  const { jsonData, secureJsonFields } = options;
  const secureJsonData = (options.secureJsonData ?? {}) as LookbackSecureJsonData;
  const setJson = (patch: Partial<LookbackOptions>) => onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const url = jsonData.sidecarUrl ?? '';
  const maxLines = jsonData.maxLines;
  const badLines = maxLines !== undefined && (!Number.isInteger(maxLines) || maxLines < 1 || maxLines > 100_000);

  return (
    <>
      <FieldSet label="Sidecar">
        <SidecarFields
          idPrefix="lookback"
          testIds={testIds.configEditor}
          width={50}
          url={url}
          onUrlChange={(sidecarUrl) => setJson({ sidecarUrl })}
          token={secureJsonData.apiToken ?? ''}
          tokenStored={Boolean(secureJsonFields?.apiToken)}
          onTokenChange={(apiToken) => onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, apiToken } })}
          onTokenReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...secureJsonFields, apiToken: false },
              secureJsonData: { ...secureJsonData, apiToken: '' },
            })
          }
        />
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
