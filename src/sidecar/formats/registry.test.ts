import { detectFormat } from './registry';

function detected(key: string, head = '', forced: Parameters<typeof detectFormat>[0] = 'auto'): string {
  const d = detectFormat(forced, key, head);
  return 'error' in d ? `error: ${d.error}` : d.skip ? `${d.format.type} (skip)` : d.format.type;
}

describe('detectFormat', () => {
  it.each([
    ['AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/123456789012_CloudTrail_us-east-1_20240101T0000Z_a.json.gz', 'cloudtrail'],
    [
      'AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/01/01/123456789012_CloudTrail-Digest_us-east-1_t_us-east-1_20240101T000000Z.json.gz',
      'cloudtrail (skip)',
    ],
    [
      'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/123456789012_elasticloadbalancing_us-east-1_app.lb.0123456789abcdef_20240101T0000Z_10.0.0.1_a.log.gz',
      'alb',
    ],
    [
      'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/conn_log_123456789012_elasticloadbalancing_us-east-1_app.lb.0123456789abcdef_20240101T0000Z_10.0.0.1_a.log.gz',
      'alb_connection',
    ],
    [
      'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/123456789012_elasticloadbalancing_us-east-1_net.lb.0123456789abcdef_20240101T0000Z_a.log.gz',
      'nlb',
    ],
    ['AWSLogs/123456789012/elasticloadbalancing/us-east-1/2024/01/01/123456789012_elasticloadbalancing_us-east-1_my-elb_20240101T0000Z_10.0.0.1_a.log', 'elb'],
    ['AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/01/123456789012_vpcflowlogs_us-east-1_fl-1_20240101T0000Z_a.log.gz', 'vpcflow'],
    ['logs/2024-01-01-00-00-00-0123456789ABCDEF', 's3access'],
    ['cf/E2K2LJZ3ABCDEF.2024-01-01-00.0a1b2c3d.gz', 'cloudfront'],
    ['AWSLogs/123456789012/WAFLogs/cloudfront/acl/2024/01/01/00/00/123456789012_waflogs_cloudfront_acl_20240101T0000Z_a.log.gz', 'waf'],
    ['AWSLogs/123456789012/vpcdnsquerylogs/vpc-0123/2024/01/01/vpc-0123_vpcdnsquerylogs_123456789012_20240101T0000Z_a.log.gz', 'route53resolver'],
    ['AWSLogs/123456789012/GuardDuty/us-east-1/2024/01/01/0a1b2c3d.jsonl.gz', 'guardduty'],
  ])('picks by key layout: %s → %s', (key, type) => {
    expect(detected(key, 'content that matches nothing in particular')).toBe(type);
  });

  it.each([
    ['http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 1.2.3.4:1 - 0 0 0 200 200 1 1 "GET / HTTP/1.1"', 'alb'],
    ['2023-10-04T17:36:52.179349Z 192.0.2.1 45678 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4.036 "CN=x" - - Success TID_1', 'alb_connection'],
    ['2019-10-14T12:00:20.694172Z my-elb 175.16.199.1:54106 10.0.1.185:80 0.000043 0.000785 0.000023 200 200 0 612 "GET / HTTP/1.1" "-" - -', 'elb'],
    ['tls 1.0 2018-12-20T02:59:40 net/my-network-loadbalancer/c6e77e28c25b2234 g3d4 1.2.3.4:5 6.7.8.9:443 5 2 98 246', 'nlb'],
    ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2 1 eni-1 ...', 'vpcflow'],
    ['79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57 REST.GET.OBJECT', 's3access'],
    ['#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip\n', 'cloudfront'],
    ['{"timestamp":1,"webaclId":"arn:aws:wafv2:...","terminatingRuleId":"Default_Action","action":"ALLOW"}', 'waf'],
    ['{"version":"1.1","query_timestamp":"2021-02-04T17:51:55Z","query_name":"a."}', 'route53resolver'],
    ['{"schemaVersion":"2.0","arn":"arn:aws:guardduty:us-east-1:1:detector/x/finding/y"}', 'guardduty'],
    ['{"Records":[{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z"}]}', 'cloudtrail'],
    ['{"level":"info","msg":"hello"}', 'json'],
    ['[2024-05-01 10:00:00] INFO plain text', 'text'],
  ])('picks by content when the key says nothing: %s → %s', (head, type) => {
    expect(detected('uploads/some-file.log', head)).toBe(type);
  });

  it('lets a source force its type, and refuses binary content nothing recognises', () => {
    expect(detected('uploads/x', '{"a":1}', 'waf')).toBe('waf');
    expect(detected('uploads/x.parquet', 'PAR1\u0000\u0000\u0015\u0004\u0015')).toMatch(
      /^error: unrecognised log format: neither the key nor the content \("PAR1/
    );
  });
});
