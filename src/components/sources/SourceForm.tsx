import React, { useState } from 'react';
import { Alert, Button, Combobox, Field, FieldSet, Input, Stack, type ComboboxOption } from '@grafana/ui';
import { appClient } from '../../api/app';
import { SidecarError } from '../../api/errors';
import { LOG_TYPES, type Source, type SourceLogType } from '../../shared/api';
import { testIds } from '../testIds';

type Text = 'id' | 'bucket' | 'region' | 'prefix' | 'liveQueueUrl' | 'backfillQueueUrl' | 'roleArn' | 'externalId' | 'vpcFlowFormat';
type Draft = Record<Text, string> & { logType: SourceLogType };
type Errors = Partial<Record<keyof Source | 'form', string>>;

const LOG_TYPE_OPTIONS: Array<ComboboxOption<SourceLogType>> = [
  { value: 'auto', label: 'auto', description: 'Detected from the key layout, then the content' },
  ...LOG_TYPES.map((t) => ({ value: t, label: t })),
];

const TEXT_FIELDS: Array<{ name: Text; label: string; description: string; placeholder?: string; required?: boolean }> = [
  { name: 'bucket', label: 'Bucket', description: 'The S3 bucket the logs are delivered to', placeholder: 'my-org-cloudtrail', required: true },
  { name: 'region', label: 'Region', description: "The bucket's region; the sidecar's default when empty", placeholder: 'us-east-1' },
  { name: 'prefix', label: 'Prefix', description: 'Only objects under this key prefix belong to the source', placeholder: 'AWSLogs/123456789012/CloudTrail/' },
  {
    name: 'liveQueueUrl',
    label: 'Live queue URL',
    description: "SQS queue subscribed to the bucket's ObjectCreated notifications",
    placeholder: 'https://sqs.us-east-1.amazonaws.com/123456789012/lookback-live',
  },
  {
    name: 'backfillQueueUrl',
    label: 'Backfill queue URL',
    description: 'SQS queue the backfills of this source go through',
    placeholder: 'https://sqs.us-east-1.amazonaws.com/123456789012/lookback-backfill',
  },
  {
    name: 'roleArn',
    label: 'Role ARN',
    description: 'IAM role the sidecar assumes to read the bucket (another account)',
    placeholder: 'arn:aws:iam::123456789012:role/lookback-reader',
  },
  { name: 'externalId', label: 'External ID', description: "The role's external ID condition, if it has one" },
  {
    name: 'vpcFlowFormat',
    label: 'VPC flow log format',
    description: 'For flow logs written without a header line in a custom format: its fields in order, as in the flow log',
    placeholder: '${version} ${interface-id} ${srcaddr} ${dstaddr} ${action} ${log-status}',
  },
];

function draftOf(source?: Source): Draft {
  return {
    id: source?.id ?? '',
    logType: source?.logType ?? 'auto',
    bucket: source?.bucket ?? '',
    region: source?.region ?? '',
    prefix: source?.prefix ?? '',
    liveQueueUrl: source?.liveQueueUrl ?? '',
    backfillQueueUrl: source?.backfillQueueUrl ?? '',
    roleArn: source?.roleArn ?? '',
    externalId: source?.externalId ?? '',
    vpcFlowFormat: source?.vpcFlowFormat ?? '',
  };
}

/** The source as the API takes it: empty optional fields left out. */
export function sourceOf(draft: Draft): Source {
  const source: Source = { id: draft.id.trim(), logType: draft.logType, bucket: draft.bucket.trim(), region: draft.region.trim() };
  for (const name of ['prefix', 'liveQueueUrl', 'backfillQueueUrl', 'roleArn', 'externalId', 'vpcFlowFormat'] as const) {
    const value = draft[name].trim();
    if (value) {
      source[name] = value;
    }
  }
  if (!source.region) {
    delete (source as Partial<Source>).region;
  }
  return source;
}

/** The sidecar's field names (`bucket`, `/bucket`, `sources[0].bucket`) as the form's. */
function formField(field: string): keyof Source | 'form' {
  const name =
    field
      .split(/[./[\]]/)
      .filter(Boolean)
      .pop() ?? '';
  return ['id', 'logType', ...TEXT_FIELDS.map((f) => f.name)].includes(name) ? (name as keyof Source) : 'form';
}

export interface SourceFormProps {
  /** The source to edit; a new one when absent. */
  source?: Source;
  onSaved(source: Source): void;
  onCancel(): void;
}

/** Add or edit a source; the sidecar checks it (shape, bucket and queues) and says what is wrong, field by field. */
export function SourceForm({ source, onSaved, onCancel }: SourceFormProps) {
  const editing = source !== undefined;
  const [draft, setDraft] = useState<Draft>(draftOf(source));
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const set = (name: keyof Draft, value: string) => {
    setDraft((d) => ({ ...d, [name]: value }));
    setErrors((e) => ({ ...e, [name]: undefined }));
  };

  const submit = async (event: React.SyntheticEvent) => {
    event.preventDefault();
    const missing: Errors = {};
    if (!draft.id.trim()) {
      missing.id = 'is required';
    }
    if (!draft.bucket.trim()) {
      missing.bucket = 'is required';
    }
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      return;
    }
    setSaving(true);
    try {
      const body = sourceOf(draft);
      const saved = editing ? await appClient.updateSource(source.id, body) : await appClient.createSource(body);
      onSaved(saved);
    } catch (err) {
      const next: Errors = {};
      if (err instanceof SidecarError && err.fields.length > 0) {
        for (const f of err.fields) {
          const name = formField(f.field);
          next[name] = name === 'form' ? [next.form, `${f.field}: ${f.message}`].filter(Boolean).join('; ') : f.message;
        }
      } else {
        next.form = err instanceof Error ? err.message : String(err);
      }
      setErrors(next);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={submit} data-testid={testIds.sourceForm.form} noValidate>
      <FieldSet>
        <Field
          label="ID"
          description="Lower-case letters, digits, - and _; names the source in queries (sourceId)"
          required
          invalid={Boolean(errors.id)}
          error={errors.id}
        >
          <Input
            id="source-id"
            data-testid={testIds.sourceForm.field('id')}
            value={draft.id}
            disabled={editing}
            placeholder="cloudtrail-prod"
            onChange={(e) => set('id', e.currentTarget.value)}
          />
        </Field>
        <Field label="Log type" description="Which parser reads the objects" invalid={Boolean(errors.logType)} error={errors.logType}>
          <Combobox<SourceLogType>
            id="source-log-type"
            data-testid={testIds.sourceForm.field('logType')}
            options={LOG_TYPE_OPTIONS}
            value={draft.logType}
            onChange={(option) => set('logType', option.value)}
          />
        </Field>
        {TEXT_FIELDS.map((f) => (
          <Field key={f.name} label={f.label} description={f.description} required={f.required} invalid={Boolean(errors[f.name])} error={errors[f.name]}>
            <Input
              id={`source-${f.name}`}
              data-testid={testIds.sourceForm.field(f.name)}
              value={draft[f.name]}
              placeholder={f.placeholder}
              onChange={(e) => set(f.name, e.currentTarget.value)}
            />
          </Field>
        ))}
        {errors.form && (
          <Alert data-testid={testIds.sourceForm.error} severity="error" title={editing ? 'The source was not saved' : 'The source was not added'}>
            {errors.form}
          </Alert>
        )}
        <Stack gap={1}>
          <Button type="submit" data-testid={testIds.sourceForm.save} icon={saving ? 'spinner' : undefined} disabled={saving}>
            {editing ? 'Save source' : 'Add source'}
          </Button>
          <Button variant="secondary" fill="outline" onClick={onCancel}>
            Cancel
          </Button>
        </Stack>
      </FieldSet>
    </form>
  );
}
