export const testIds = {
  appConfig: {
    sidecarUrl: 'data-testid ac-sidecar-url',
    apiToken: 'data-testid ac-api-token',
    submit: 'data-testid ac-submit-form',
  },
  status: {
    container: 'data-testid status-container',
  },
};
