// Modules behind the aliases of webpack.host.ts: parts of Grafana's packages that Grafana core
// uses but the packages do not export.
declare module 'grafana-runtime-plugin-page' {
  import type { ComponentType } from 'react';
  import type { PluginPageProps } from '@grafana/runtime';
  export function setPluginPage(component: ComponentType<PluginPageProps>): void;
}

declare module 'grafana-i18n-internal' {
  export function initializeI18n(options: { language: string; ns?: string[] }): Promise<{ language: string | undefined }>;
}

// Grafana shares prismjs with plugins; it ships no types of its own.
declare module 'prismjs';
