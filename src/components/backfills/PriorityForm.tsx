import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, Stack, TimeRangeInput, useStyles2 } from '@grafana/ui';
import { appClient } from '../../api/app';
import { SidecarError } from '../../api/errors';
import type { Backfill, PulledForward } from '../../shared/backfill';
import { testIds } from '../testIds';
import { defaultPriorityRange, priorityRangeError, priorityRequest, type PriorityDraft } from './priorityRequest';

export interface PriorityFormProps {
  backfill: Backfill;
  onDone(entry: PulledForward): void;
  onClose(): void;
}

type Errors = Partial<Record<'range' | 'note' | 'form', string>>;

/** The sidecar's refusal by the form's fields: `from`/`to` are the range's, anything else the form's. */
function sidecarErrors(err: unknown): Errors {
  if (!(err instanceof SidecarError) || err.fields.length === 0) {
    return { form: err instanceof Error ? err.message : String(err) };
  }
  const errors: Errors = {};
  for (const f of err.fields) {
    const name = f.field.split(/[./[\]]/).filter(Boolean)[0];
    const key = name === 'from' || name === 'to' ? 'range' : name === 'note' ? 'note' : 'form';
    errors[key] = [errors[key], key === 'form' || key === 'range' ? `${f.field}: ${f.message}` : f.message].filter(Boolean).join('; ');
  }
  return errors;
}

/** "Load these hours first" on a running backfill: an event-time range and an optional note saying why. */
export function PriorityForm({ backfill, onDone, onClose }: PriorityFormProps) {
  const styles = useStyles2(getStyles);
  const [draft, setDraft] = useState<PriorityDraft>(() => ({ range: defaultPriorityRange(backfill), note: '' }));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const rangeError = priorityRangeError(draft);
    if (rangeError) {
      setErrors({ range: rangeError });
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      onDone(await appClient.prioritizeBackfill(backfill.id, priorityRequest(draft)));
    } catch (err) {
      setErrors(sidecarErrors(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      data-testid={testIds.priorityForm.form(backfill.id)}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack direction="column" gap={0}>
        <Stack gap={2} alignItems="flex-start" wrap="wrap">
          <div data-testid={testIds.priorityForm.range} className={styles.range}>
            <Field
              label="Hours to load first"
              description="Event time; whole hours of it are moved to the front of this backfill"
              invalid={Boolean(errors.range)}
              error={errors.range}
            >
              <TimeRangeInput
                value={draft.range}
                onChange={(range) => {
                  setDraft((d) => ({ ...d, range }));
                  setErrors(({ range: _, form: __, ...rest }) => rest);
                }}
              />
            </Field>
          </div>
          <Field label="Note" description="Why, shown with the hours on this page" invalid={Boolean(errors.note)} error={errors.note}>
            <Input
              id={`priority-note-${backfill.id}`}
              data-testid={testIds.priorityForm.note}
              width={40}
              maxLength={200}
              value={draft.note}
              placeholder="e.g. the login spike INC-1234"
              onChange={(e) => {
                const note = e.currentTarget.value;
                setDraft((d) => ({ ...d, note }));
                setErrors(({ note: _, form: __, ...rest }) => rest);
              }}
            />
          </Field>
        </Stack>
        {errors.form && (
          <Alert data-testid={testIds.priorityForm.error} severity="error" title="The sidecar did not move these hours to the front">
            {errors.form}
          </Alert>
        )}
        <Stack gap={1}>
          <Button type="submit" icon={busy ? 'spinner' : 'arrow-up'} data-testid={testIds.priorityForm.submit} disabled={busy}>
            Load these hours first
          </Button>
          <Button type="button" variant="secondary" fill="outline" onClick={onClose}>
            Close
          </Button>
        </Stack>
      </Stack>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  range: css({ width: theme.spacing(50) }),
});
