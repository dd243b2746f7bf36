import { ConfigError, loadConfig } from './load';

describe('loadConfig', () => {
  it('fills defaults and reads LOOKBACK_* variables', () => {
    const config = loadConfig(undefined, {
      LOOKBACK_LISTEN_PORT: '9000',
      LOOKBACK_AWS_ENDPOINT: 'http://127.0.0.1:4566',
      LOOKBACK_SOURCES: JSON.stringify([{ id: 'ct', bucket: 'my-logs' }]),
    });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(config.aws).toEqual({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' });
    expect(config.store).toEqual({ kind: 'chdb' });
    expect(config.ingest.liveConcurrency).toBe(4);
    expect(config.sources).toEqual([{ id: 'ct', bucket: 'my-logs', logType: 'auto', region: 'us-east-1' }]);
  });

  it("stops searches before Grafana's data proxy does (30 s by default), unless told otherwise", () => {
    expect(loadConfig(undefined, {}).query.maxExecutionSeconds).toBeLessThan(30);
    expect(loadConfig(undefined, { LOOKBACK_QUERY_MAX_EXECUTION_SECONDS: '100' }).query.maxExecutionSeconds).toBe(100);
  });

  it('reads the allowed Host names as a comma-separated list', () => {
    const config = loadConfig(undefined, { LOOKBACK_LISTEN_ALLOWED_HOSTS: 'lookback, grafana-sidecar ,[::1]' });
    expect(config.listen.allowedHosts).toEqual(['lookback', 'grafana-sidecar', '[::1]']);
    expect(loadConfig(undefined, {}).listen.allowedHosts).toBeUndefined();
  });

  it.each([
    [{ LOOKBACK_LISTEN_ALLOWED_HOSTS: 'http://lookback:8089' }, /^invalid config: listen\.allowedHosts\[0\]: must match pattern/],
    [{ LOOKBACK_SOURCES: '[{"id":"Bad Id","bucket":"logs"}]' }, 'invalid config: sources[0].id: must match pattern "^[a-z0-9][a-z0-9_-]{0,62}$"'],
    [
      { LOOKBACK_SOURCES: '[{"id":"ct","bucket":"logs","liveQueueUrl":"queue"}]' },
      'invalid config: sources[0].liveQueueUrl: must match pattern "^https?://\\S+$"',
    ],
    [{ LOOKBACK_AWS_FORCE_PATH_STYLE: 'maybe' }, 'invalid config: LOOKBACK_AWS_FORCE_PATH_STYLE: must be true or false, got "maybe"'],
    [{ LOOKBACK_SOURCES: '{' }, /^invalid config: LOOKBACK_SOURCES: not valid JSON/],
  ])('names the bad field: %j', (env, message) => {
    expect(() => loadConfig(undefined, env)).toThrow(ConfigError);
    expect(() => loadConfig(undefined, env)).toThrow(message);
  });
});
