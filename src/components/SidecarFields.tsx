import React, { useState } from 'react';
import { Field, Input, SecretInput } from '@grafana/ui';

const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** Empty (not set yet) or an http(s) URL. */
export function isSidecarUrlValid(url: string): boolean {
  return url === '' || URL_PATTERN.test(url);
}

/**
 * The URL as it is saved: without spaces and without trailing slashes after the host, since
 * plugin.json's routes append `/api/...` to it (`http://lookback:8089/` would call `//api/...`).
 */
export function normaliseSidecarUrl(text: string): string {
  return text.trim().replace(/^(https?:\/\/[^\s/]+.*?)\/+$/, '$1');
}

export interface SidecarFieldsProps {
  /** Prefix of the inputs' element ids. */
  idPrefix: string;
  testIds: { sidecarUrl: string; apiToken: string };
  width: number;
  url: string;
  onUrlChange(url: string): void;
  token: string;
  /** Grafana holds a token already (it is never sent back). */
  tokenStored: boolean;
  onTokenChange(token: string): void;
  onTokenReset(): void;
}

/** The sidecar URL and API token, as the app's configuration and the data source's settings ask for them. */
export function SidecarFields(props: SidecarFieldsProps) {
  const badUrl = !isSidecarUrlValid(props.url);
  // What the user typed stays shown (a slash can be followed by a path) while the settings get it
  // normalised; a URL set from elsewhere replaces it.
  const [typed, setTyped] = useState(props.url);
  const shown = normaliseSidecarUrl(typed) === props.url ? typed : props.url;
  return (
    <>
      <Field
        label="Sidecar URL"
        description="Where Grafana's server (not your browser) reaches the Lookback sidecar"
        required
        invalid={badUrl}
        error={badUrl ? 'An http:// or https:// URL, e.g. http://lookback:8089' : undefined}
      >
        <Input
          width={props.width}
          id={`${props.idPrefix}-sidecar-url`}
          data-testid={props.testIds.sidecarUrl}
          value={shown}
          placeholder="http://lookback:8089"
          onChange={(e) => {
            setTyped(e.currentTarget.value);
            props.onUrlChange(normaliseSidecarUrl(e.currentTarget.value));
          }}
        />
      </Field>
      <Field label="API token" description="The sidecar's API token; Grafana adds it to proxied requests and never sends it to browsers" required>
        <SecretInput
          width={props.width}
          id={`${props.idPrefix}-api-token`}
          data-testid={props.testIds.apiToken}
          value={props.token}
          isConfigured={props.tokenStored}
          placeholder="Token printed by the sidecar on first start"
          onChange={(e) => props.onTokenChange(e.currentTarget.value.trim())}
          onReset={props.onTokenReset}
        />
      </Field>
    </>
  );
}
