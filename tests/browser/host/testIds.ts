// data-testid values of the test host's own pages, shared by the host page and the specs. Where
// Grafana has a selector for the same thing (@grafana/e2e-selectors), the host uses Grafana's.

export const hostTestIds = {
  chrome: {
    ready: 'data-testid host page ready',
    pageTitle: 'data-testid host page title',
    bootError: 'data-testid host boot error',
    toast: 'data-testid host toast',
  },
  appConfig: {
    tab: (id: string) => `data-testid host plugin config tab ${id}`,
  },
  explore: {
    queryError: 'data-testid host explore query error',
    notice: 'data-testid host explore frame notice',
    logsPanel: 'data-testid host explore logs',
    logRow: 'data-testid host explore log row',
    logVolumePanel: 'data-testid host explore logs volume',
    graphPanel: 'data-testid host explore graph',
    tablePanel: 'data-testid host explore table',
    state: 'data-testid host explore state',
  },
};
