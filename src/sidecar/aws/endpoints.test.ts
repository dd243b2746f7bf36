import { isAllowedHost, queueUrlProblem, regionOfQueueUrl } from './endpoints';

describe('queue URLs a source may name', () => {
  it.each([
    'https://sqs.eu-west-1.amazonaws.com/123456789012/lookback-live',
    'https://sqs.us-gov-west-1.amazonaws.com/123456789012/q',
    'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q',
    'https://eu-west-1.queue.amazonaws.com/123456789012/legacy',
    'https://queue.amazonaws.com/123456789012/legacy',
    'https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo',
  ])("accepts AWS's %s without an endpoint", (url) => {
    expect(queueUrlProblem(url)).toBeUndefined();
  });

  it.each([
    'http://127.0.0.1:8193/123456789012/q',
    'http://sqs.eu-west-1.amazonaws.com/123456789012/q',
    'https://sqs.eu-west-1.amazonaws.com.evil.example/123456789012/q',
    'https://sqs.eu-west-1.amazonaws.com:8443/123456789012/q',
    'https://user@sqs.eu-west-1.amazonaws.com/123456789012/q',
    'https://sqs.eu-west-1.amazonaws.com/123456789012/q?x=1',
    'https://sqs.eu-west-1.amazonaws.com/1234/q',
    'https://evil.example/sqs.eu-west-1.amazonaws.com/123456789012/q',
  ])('refuses %s without an endpoint', (url) => {
    expect(queueUrlProblem(url)).toMatch(/is not an Amazon SQS queue URL .*set aws\.endpoint/);
  });

  it('with an endpoint, takes only queues on it (emulators name the host sqs.<region>.localhost)', () => {
    const endpoint = 'http://127.0.0.1:4566';
    expect(queueUrlProblem('http://127.0.0.1:4566/000000000000/q', endpoint)).toBeUndefined();
    expect(queueUrlProblem('http://sqs.us-east-1.localhost:4566/000000000000/q', endpoint)).toBeUndefined();
    expect(queueUrlProblem('http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/q', 'http://localhost.localstack.cloud:4566')).toBeUndefined();
    expect(queueUrlProblem('http://127.0.0.1:8193/000000000000/q', endpoint)).toMatch(/is not on the configured aws\.endpoint \(http:\/\/127\.0\.0\.1:4566\)/);
    expect(queueUrlProblem('https://sqs.eu-west-1.amazonaws.com/123456789012/q', endpoint)).toMatch(/not on the configured aws\.endpoint/);
    expect(queueUrlProblem('http://10.0.0.5:4566/000000000000/q', endpoint)).toMatch(/not on the configured aws\.endpoint/);
  });

  it('reads the region of every form', () => {
    expect(regionOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/q')).toBe('eu-west-1');
    expect(regionOfQueueUrl('https://ap-south-1.queue.amazonaws.com/123456789012/q')).toBe('ap-south-1');
    expect(regionOfQueueUrl('https://queue.amazonaws.com/123456789012/q')).toBe('us-east-1');
    expect(regionOfQueueUrl('http://sqs.us-west-2.localhost:4566/000000000000/q')).toBe('us-west-2');
    expect(regionOfQueueUrl('http://127.0.0.1:4566/000000000000/q')).toBeUndefined();
  });
});

describe('hosts a request may go to', () => {
  it('without an endpoint: AWS only', () => {
    expect(isAllowedHost('sqs.eu-west-1.amazonaws.com', undefined)).toBe(true);
    expect(isAllowedHost('my-bucket.s3.eu-west-1.amazonaws.com', undefined)).toBe(true);
    expect(isAllowedHost('s3.cn-north-1.amazonaws.com.cn', undefined)).toBe(true);
    expect(isAllowedHost('127.0.0.1', 8193)).toBe(false);
    expect(isAllowedHost('amazonaws.com.evil.example', undefined)).toBe(false);
    expect(isAllowedHost('sqs.eu-west-1.amazonaws.com', 8443)).toBe(false);
  });

  it('with an endpoint: that endpoint (and names under it, for virtual-hosted buckets) only', () => {
    const endpoint = 'http://minio.internal:9000';
    expect(isAllowedHost('minio.internal', 9000, endpoint)).toBe(true);
    expect(isAllowedHost('logs.minio.internal', 9000, endpoint)).toBe(true);
    expect(isAllowedHost('minio.internal', 9001, endpoint)).toBe(false);
    expect(isAllowedHost('sqs.eu-west-1.amazonaws.com', undefined, endpoint)).toBe(false);
  });
});
