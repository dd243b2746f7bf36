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
    expect(config.store).toEqual({ kind: 'chdb', lockWaitSeconds: 10 });
    expect(config.ingest.liveConcurrency).toBe(4);
    expect(config.ingest).toMatchObject({ maxObjectBytes: 4 * 1024 ** 3, maxObjectRecords: 20_000_000 });
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

  it('reads the ClickHouse-server store from LOOKBACK_STORE_* variables', () => {
    const config = loadConfig(undefined, {
      LOOKBACK_STORE_KIND: 'clickhouse',
      LOOKBACK_STORE_URL: 'https://clickhouse.internal:8443',
      LOOKBACK_STORE_USERNAME: 'lookback',
      LOOKBACK_STORE_PASSWORD: 's3cret',
      LOOKBACK_STORE_DATABASE: 'lookback',
      LOOKBACK_STORE_CLUSTER: 'prod',
      LOOKBACK_STORE_TLS_CA_FILE: '/etc/lookback/ca.pem',
      LOOKBACK_STORE_REQUEST_TIMEOUT_SECONDS: '60',
    });
    expect(config.store).toEqual({
      kind: 'clickhouse',
      url: 'https://clickhouse.internal:8443',
      username: 'lookback',
      password: 's3cret',
      database: 'lookback',
      cluster: 'prod',
      tls: { caFile: '/etc/lookback/ca.pem' },
      requestTimeoutSeconds: 60,
      lockWaitSeconds: 10,
    });
  });

  it.each([
    [{ LOOKBACK_STORE_KIND: 'clickhouse' }, 'invalid config: store.url: is required'],
    [{ LOOKBACK_STORE_KIND: 'mysql' }, 'invalid config: store.kind: must be one of: chdb, clickhouse'],
    [
      { LOOKBACK_STORE_KIND: 'clickhouse', LOOKBACK_STORE_URL: 'clickhouse:8123' },
      'invalid config: store.url: must match pattern "^https?://[^\\s/?#]+(/\\S*)?$"',
    ],
    [
      { LOOKBACK_STORE_KIND: 'clickhouse', LOOKBACK_STORE_URL: 'http://h:8123', LOOKBACK_STORE_CLUSTER: 'a b' },
      'invalid config: store.cluster: must match pattern "^[A-Za-z0-9_.-]{1,128}$"',
    ],
    [
      { LOOKBACK_STORE_KIND: 'clickhouse', LOOKBACK_STORE_URL: 'http://h:8123', LOOKBACK_STORE_TLS_CERT_FILE: '/c.pem' },
      'invalid config: store.tls.caFile: is required',
    ],
    [
      { LOOKBACK_STORE_KIND: 'clickhouse', LOOKBACK_STORE_URL: 'http://h:8123', LOOKBACK_STORE_TLS_CA_FILE: '/ca.pem', LOOKBACK_STORE_TLS_CERT_FILE: '/c.pem' },
      'invalid config: store.tls: must have property keyFile when property certFile is present',
    ],
  ])('names the bad store field: %j', (env, message) => {
    expect(() => loadConfig(undefined, env)).toThrow(new ConfigError(message));
  });

  it('reads the per-object limits from LOOKBACK_MAX_OBJECT_BYTES and LOOKBACK_MAX_OBJECT_RECORDS', () => {
    const config = loadConfig(undefined, { LOOKBACK_MAX_OBJECT_BYTES: '1073741824', LOOKBACK_MAX_OBJECT_RECORDS: '5000000' });
    expect(config.ingest).toMatchObject({ maxObjectBytes: 1073741824, maxObjectRecords: 5_000_000 });
    expect(() => loadConfig(undefined, { LOOKBACK_MAX_OBJECT_RECORDS: '0' })).toThrow('invalid config: ingest.maxObjectRecords: must be >= 1');
  });

  it('keeps /metrics behind the token unless LOOKBACK_METRICS_PUBLIC says otherwise', () => {
    expect(loadConfig(undefined, {}).metrics).toEqual({ public: false });
    expect(loadConfig(undefined, { LOOKBACK_METRICS_PUBLIC: 'true' }).metrics).toEqual({ public: true });
  });

  it('runs both roles unless LOOKBACK_ROLES (a comma-separated list) names fewer', () => {
    expect(loadConfig(undefined, {}).roles).toEqual(['api', 'ingest']);
    expect(loadConfig(undefined, { LOOKBACK_ROLES: 'ingest' }).roles).toEqual(['ingest']);
    expect(loadConfig(undefined, { LOOKBACK_ROLES: ' api , ingest ' }).roles).toEqual(['api', 'ingest']);
    expect(() => loadConfig(undefined, { LOOKBACK_ROLES: 'api,worker' })).toThrow('invalid config: roles[1]: must be one of: api, ingest');
    expect(() => loadConfig(undefined, { LOOKBACK_ROLES: 'api,api' })).toThrow(/^invalid config: roles: must NOT have duplicate items/);
    expect(() => loadConfig(undefined, { LOOKBACK_ROLES: ',' })).toThrow('invalid config: roles: must NOT have fewer than 1 items');
  });

  it('takes AWS queue URLs, and emulator queue URLs on the configured endpoint', () => {
    const aws = loadConfig(undefined, {
      LOOKBACK_SOURCES: JSON.stringify([{ id: 'ct', bucket: 'logs', liveQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/live' }]),
    });
    expect(aws.sources[0].liveQueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/live');
    const emulated = loadConfig(undefined, {
      LOOKBACK_AWS_ENDPOINT: 'http://127.0.0.1:4566',
      LOOKBACK_SOURCES: JSON.stringify([{ id: 'ct', bucket: 'logs', liveQueueUrl: 'http://sqs.us-east-1.localhost:4566/000000000000/live' }]),
    });
    expect(emulated.sources).toHaveLength(1);
  });

  it.each([
    [{ LOOKBACK_LISTEN_ALLOWED_HOSTS: 'http://lookback:8089' }, /^invalid config: listen\.allowedHosts\[0\]: must match pattern/],
    [{ LOOKBACK_SOURCES: '[{"id":"Bad Id","bucket":"logs"}]' }, 'invalid config: sources[0].id: must match pattern "^[a-z0-9][a-z0-9_-]{0,62}$"'],
    [
      { LOOKBACK_SOURCES: '[{"id":"ct","bucket":"logs","liveQueueUrl":"queue"}]' },
      'invalid config: sources[0].liveQueueUrl: must match pattern "^https?://\\S+$"',
    ],
    [
      { LOOKBACK_SOURCES: '[{"id":"ct","bucket":"logs","liveQueueUrl":"http://127.0.0.1:8193/123456789012/q"}]' },
      'invalid config: sources[0].liveQueueUrl: "http://127.0.0.1:8193/123456789012/q" is not an Amazon SQS queue URL (https://sqs.<region>.amazonaws.com/<12-digit account id>/<queue name>); to use another SQS-compatible service, set aws.endpoint',
    ],
    [
      {
        LOOKBACK_AWS_ENDPOINT: 'http://127.0.0.1:4566',
        LOOKBACK_SOURCES: '[{"id":"ct","bucket":"logs","backfillQueueUrl":"http://127.0.0.1:8193/000000000000/q"}]',
      },
      'invalid config: sources[0].backfillQueueUrl: "http://127.0.0.1:8193/000000000000/q" is not on the configured aws.endpoint (http://127.0.0.1:4566), where every SQS call goes',
    ],
    [
      { LOOKBACK_SOURCES: '[{"id":"flows","bucket":"logs","logType":"vpcflow","vpcFlowFormat":"version srcaddr dstaddr colour"}]' },
      /^invalid config: sources\[0\]\.vpcFlowFormat: "colour" is not a VPC flow log field \(known: version /,
    ],
    [
      { LOOKBACK_SOURCES: '[{"id":"trail","bucket":"logs","logType":"cloudtrail","vpcFlowFormat":"version srcaddr"}]' },
      "invalid config: sources[0].vpcFlowFormat: is for VPC flow logs; this source's logType is cloudtrail",
    ],
    [{ LOOKBACK_AWS_FORCE_PATH_STYLE: 'maybe' }, 'invalid config: LOOKBACK_AWS_FORCE_PATH_STYLE: must be true or false, got "maybe"'],
    [{ LOOKBACK_SOURCES: '{' }, /^invalid config: LOOKBACK_SOURCES: not valid JSON/],
  ])('names the bad field: %j', (env, message) => {
    expect(() => loadConfig(undefined, env)).toThrow(ConfigError);
    expect(() => loadConfig(undefined, env)).toThrow(message);
  });
});
