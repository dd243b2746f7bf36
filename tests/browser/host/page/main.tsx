// The browser side of the Lookback test host: Grafana's services, then the page for the URL.
// The server wrote window.grafanaBootData into the page before this bundle runs.
import './amdLoader';
import { createRoot } from 'react-dom/client';
import { initializeI18n } from 'grafana-i18n-internal';
import { hostTestIds } from '../testIds';
import { HostApp } from './HostApp';
import { installGrafanaServices } from './services/install';
import { monacoEnvironment } from './monaco';

async function boot(): Promise<void> {
  window.MonacoEnvironment = monacoEnvironment;
  await initializeI18n({ language: 'en-US', ns: ['grafana'] });
  installGrafanaServices();
  createRoot(document.getElementById('reactRoot')!).render(<HostApp />);
}

boot().catch((err: unknown) => {
  const pre = document.createElement('pre');
  pre.dataset.testid = hostTestIds.chrome.bootError;
  pre.textContent = `The test host failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  document.body.appendChild(pre);
});
