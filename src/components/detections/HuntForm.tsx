import React, { useState } from 'react';
import { Alert, Button, Field, Input, Stack } from '@grafana/ui';
import { appClient } from '../../api/app';
import { SidecarError } from '../../api/errors';
import type { Hunt } from '../../shared/detections';
import { testIds } from '../testIds';

const DAY = 86_400_000;

export interface HuntFormProps {
  now?: () => number;
  user?: string;
  onStarted(hunt: Hunt): void;
}

/** Fields of a 400 answer, by name, for the message beside each field. */
function fieldErrors(err: unknown): Record<string, string> {
  return Object.fromEntries((err instanceof SidecarError ? err.fields : []).map((f) => [f.field, f.message]));
}

/** Starts a retro-hunt: rules (every enabled one by default) over a range of event time, e.g. after adding a rule. */
export function HuntForm({ now = Date.now, user, onStarted }: HuntFormProps) {
  const [from, setFrom] = useState(() => new Date(now() - 30 * DAY).toISOString().slice(0, 16) + 'Z');
  const [to, setTo] = useState(() => new Date(now()).toISOString().slice(0, 16) + 'Z');
  const [rules, setRules] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string>();

  const start = async () => {
    setBusy(true);
    setErrors({});
    setFailure(undefined);
    try {
      const ids = rules
        .split(/[\s,]+/)
        .map((r) => r.trim())
        .filter(Boolean);
      onStarted(await appClient.startHunt({ from, to, rules: ids, by: user }));
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) {
        setFailure(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid={testIds.hunts.form}>
      <Stack gap={2} alignItems="flex-start" wrap="wrap">
        <Field label="From (event time)" invalid={Boolean(errors.from)} error={errors.from}>
          <Input value={from} width={26} data-testid={testIds.hunts.from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label="To" invalid={Boolean(errors.to)} error={errors.to}>
          <Input value={to} width={26} data-testid={testIds.hunts.to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <Field label="Rules" description="Rule ids; empty: every enabled rule" invalid={Boolean(errors.rules)} error={errors.rules}>
          <Input
            value={rules}
            width={40}
            placeholder="every enabled rule"
            data-testid={testIds.hunts.rules}
            onChange={(e) => setRules(e.currentTarget.value)}
          />
        </Field>
      </Stack>
      <Button icon="search" disabled={busy} data-testid={testIds.hunts.start} onClick={start}>
        Hunt
      </Button>
      {failure && (
        <Alert severity="error" title="Could not start the hunt">
          {failure}
        </Alert>
      )}
    </div>
  );
}
