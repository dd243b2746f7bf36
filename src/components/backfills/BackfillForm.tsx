import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTime, type GrafanaTheme2, type TimeRange } from '@grafana/data';
import {
  Alert,
  Button,
  CollapsableSection,
  Combobox,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  Stack,
  TagsInput,
  TimeRangeInput,
  useStyles2,
  type ComboboxOption,
} from '@grafana/ui';
import { appClient } from '../../api/app';
import { SidecarError } from '../../api/errors';
import type { Backfill, BackfillEstimate, BackfillOrder, SourceStatus } from '../../shared/backfill';
import { testIds } from '../testIds';
import { backfillRequest, draftErrors, draftField, draftForSource, type BackfillDraft, type Credentials, type DraftErrors } from './backfillRequest';
import { EstimateResult } from './EstimateResult';

export interface BackfillFormProps {
  sources: SourceStatus[];
  initialSourceId?: string;
  /** Absolute ISO times, e.g. from a coverage notice's link. */
  initialRange?: { from: string; to: string };
  onStarted(backfill: Backfill): void;
}

const lastWeek = (): TimeRange => {
  const to = dateTime();
  return { from: dateTime(to).subtract(7, 'd'), to, raw: { from: 'now-7d', to: 'now' } };
};

function initialRangeOf(initial?: { from: string; to: string }): TimeRange {
  if (!initial) {
    return lastWeek();
  }
  const from = dateTime(initial.from);
  const to = dateTime(initial.to);
  return from.isValid() && to.isValid() ? { from, to, raw: { from, to } } : lastWeek();
}

function sourceOption(s: SourceStatus): ComboboxOption<string> {
  return {
    value: s.source.id,
    label: `${s.source.id} — ${s.source.logType}`,
    description: `s3://${s.source.bucket}/${s.source.prefix ?? ''} (${s.source.region})`,
  };
}

/**
 * Starts a backfill of an existing source: bucket and region come from it, prefixes and an
 * event-time range narrow what is listed, a role can be assumed for another account, and
 * Estimate tells objects, bytes and time before anything starts.
 */
export function BackfillForm({ sources, initialSourceId, initialRange, onStarted }: BackfillFormProps) {
  const styles = useStyles2(getStyles);
  const initialSource = sources.find((s) => s.source.id === initialSourceId)?.source;
  const [draft, setDraft] = useState<BackfillDraft>(() =>
    draftForSource(
      {
        sourceId: '',
        bucket: '',
        region: '',
        prefixes: [],
        range: initialRangeOf(initialRange),
        credentials: 'source',
        roleArn: '',
        externalId: '',
        order: 'newest',
        marginMinutes: '',
      },
      initialSource
    )
  );
  const [errors, setErrors] = useState<DraftErrors>({});
  const [estimate, setEstimate] = useState<BackfillEstimate>();
  const [busy, setBusy] = useState<'estimate' | 'start'>();
  const [advanced, setAdvanced] = useState(false);

  const update = (patch: Partial<BackfillDraft>, cleared: Array<keyof DraftErrors>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !cleared.includes(k as keyof DraftErrors) && k !== 'form')));
    setEstimate(undefined);
  };

  const send = async (what: 'estimate' | 'start') => {
    const problems = draftErrors(draft);
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      return;
    }
    setBusy(what);
    setErrors({});
    try {
      const request = backfillRequest(draft);
      if (what === 'estimate') {
        setEstimate(await appClient.estimateBackfill(request));
      } else {
        onStarted(await appClient.startBackfill(request));
        setEstimate(undefined);
      }
    } catch (err) {
      const next: DraftErrors = {};
      if (err instanceof SidecarError && err.fields.length > 0) {
        for (const f of err.fields) {
          const name = draftField(f.field);
          next[name] = name === 'form' ? [next.form, `${f.field}: ${f.message}`].filter(Boolean).join('; ') : f.message;
        }
      } else {
        next.form = err instanceof Error ? err.message : String(err);
      }
      setErrors(next);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <form
      data-testid={testIds.backfillForm.form}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        send('start');
      }}
    >
      <FieldSet>
        <Field
          label="Source"
          description="The source to backfill: its log type, parser and queues are used"
          required
          invalid={Boolean(errors.sourceId)}
          error={errors.sourceId}
        >
          <Combobox<string>
            id="backfill-source"
            data-testid={testIds.backfillForm.source}
            width={60}
            placeholder={sources.length === 0 ? 'Add a source first' : 'Choose a source'}
            options={sources.map(sourceOption)}
            value={draft.sourceId || null}
            onChange={(option) =>
              update(draftForSource(draft, sources.find((s) => s.source.id === option.value)?.source), ['sourceId', 'bucket', 'region', 'prefixes'])
            }
          />
        </Field>
        <Stack gap={2}>
          <Field label="Bucket" description="The source's bucket unless you name another" required invalid={Boolean(errors.bucket)} error={errors.bucket}>
            <Input
              id="backfill-bucket"
              data-testid={testIds.backfillForm.bucket}
              width={36}
              value={draft.bucket}
              onChange={(e) => update({ bucket: e.currentTarget.value }, ['bucket'])}
            />
          </Field>
          <Field label="Region" description="The bucket's region" invalid={Boolean(errors.region)} error={errors.region}>
            <Input
              id="backfill-region"
              data-testid={testIds.backfillForm.region}
              width={20}
              value={draft.region}
              placeholder="us-east-1"
              onChange={(e) => update({ region: e.currentTarget.value }, ['region'])}
            />
          </Field>
        </Stack>
        <div data-testid={testIds.backfillForm.prefixes}>
          <Field
            label="Prefixes"
            description="Key prefixes to list; leave empty to let Lookback plan them from the time range and the log layout (AWSLogs/<account>/<service>/<region>/YYYY/MM/DD/)"
            invalid={Boolean(errors.prefixes)}
            error={errors.prefixes}
          >
            <TagsInput
              id="backfill-prefixes"
              tags={draft.prefixes}
              maxLength={1024}
              autoColors={false}
              addOnBlur
              placeholder="AWSLogs/123456789012/CloudTrail/ and Enter"
              onChange={(prefixes) => update({ prefixes }, ['prefixes'])}
            />
          </Field>
        </div>
        <div data-testid={testIds.backfillForm.range} className={styles.range}>
          <Field
            label="Event time range"
            description="Events in this range are loaded: objects are chosen by the time in their key"
            required
            invalid={Boolean(errors.range)}
            error={errors.range}
          >
            <TimeRangeInput value={draft.range} onChange={(range) => update({ range }, ['range'])} />
          </Field>
        </div>
        <Field
          label="Credentials"
          description="Read the bucket with the sidecar's credentials (or the source's role), or assume a role in the bucket's account"
        >
          <RadioButtonGroup<Credentials>
            options={[
              { value: 'source', label: "Source's" },
              { value: 'role', label: 'Assume a role' },
            ]}
            value={draft.credentials}
            onChange={(credentials) => update({ credentials }, ['roleArn', 'externalId'])}
          />
        </Field>
        {draft.credentials === 'role' && (
          <Stack gap={2}>
            <Field label="Role ARN" required invalid={Boolean(errors.roleArn)} error={errors.roleArn}>
              <Input
                id="backfill-role-arn"
                data-testid={testIds.backfillForm.roleArn}
                width={50}
                value={draft.roleArn}
                placeholder="arn:aws:iam::123456789012:role/lookback-reader"
                onChange={(e) => update({ roleArn: e.currentTarget.value }, ['roleArn'])}
              />
            </Field>
            <Field label="External ID" invalid={Boolean(errors.externalId)} error={errors.externalId}>
              <Input
                id="backfill-external-id"
                data-testid={testIds.backfillForm.externalId}
                width={30}
                value={draft.externalId}
                onChange={(e) => update({ externalId: e.currentTarget.value }, ['externalId'])}
              />
            </Field>
          </Stack>
        )}
        <CollapsableSection label="Advanced" isOpen={advanced} onToggle={setAdvanced}>
          <Stack gap={2}>
            <Field label="Order" description="Which objects are ingested first" invalid={Boolean(errors.order)} error={errors.order}>
              <RadioButtonGroup<BackfillOrder>
                options={[
                  { value: 'newest', label: 'Newest first' },
                  { value: 'oldest', label: 'Oldest first' },
                ]}
                value={draft.order}
                onChange={(order) => update({ order }, ['order'])}
              />
            </Field>
            <Field
              label="Key time margin (minutes)"
              description="Objects stamped up to this long after the range may hold events in it; empty: the layout's delivery lag"
              invalid={Boolean(errors.marginMinutes)}
              error={errors.marginMinutes}
            >
              <Input
                id="backfill-margin"
                width={12}
                value={draft.marginMinutes}
                placeholder="default"
                onChange={(e) => update({ marginMinutes: e.currentTarget.value }, ['marginMinutes'])}
              />
            </Field>
          </Stack>
        </CollapsableSection>
        {errors.form && (
          <Alert data-testid={testIds.backfillForm.error} severity="error" title="The sidecar refused the backfill">
            {errors.form}
          </Alert>
        )}
        {estimate && <EstimateResult estimate={estimate} />}
        <Stack gap={1}>
          <Button
            type="button"
            variant="secondary"
            icon={busy === 'estimate' ? 'spinner' : 'calculator-alt'}
            data-testid={testIds.backfillForm.estimate}
            disabled={busy !== undefined}
            onClick={() => send('estimate')}
          >
            Estimate
          </Button>
          <Button type="submit" icon={busy === 'start' ? 'spinner' : 'cloud-download'} data-testid={testIds.backfillForm.start} disabled={busy !== undefined}>
            Start backfill
          </Button>
        </Stack>
      </FieldSet>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  range: css({ width: theme.spacing(50) }),
});
