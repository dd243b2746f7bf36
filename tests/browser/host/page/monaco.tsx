import type { Environment } from 'monaco-editor';

declare global {
  interface Window {
    MonacoEnvironment?: Environment;
  }
}

/** Monaco's editor worker, built by webpack beside the host bundle (Grafana ships the same). */
export const monacoEnvironment: Environment = {
  getWorker: () => new Worker(new URL('monaco-editor/esm/vs/editor/editor.worker.js', import.meta.url)),
};
