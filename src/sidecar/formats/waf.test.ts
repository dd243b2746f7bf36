import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunksOf, objectInfo, parseAll } from './parseAll';
import { waf } from './waf';

const KEY =
  'AWSLogs/123456789012/WAFLogs/us-east-1/example-web-acl/2018/08/08/00/35/123456789012_waflogs_us-east-1_example-web-acl_20180808T0035Z_0a1b2c3d.log.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'waf.log'));

describe('AWS WAF logs', () => {
  it('reads the action, the terminating rule and the client of each request', async () => {
    const { events, malformed } = await parseAll(waf, chunksOf(sample, 128), objectInfo(KEY));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      time: 1533689070589,
      eventName: 'BLOCK',
      outcome: 'failure',
      severity: 'warning',
      status: 'RG-Reference',
      srcIp: '192.0.2.44',
      region: 'us-east-1',
      account: '123456789012',
      service: 'wafv2.amazonaws.com',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) attack-tool/1.0',
    });
    expect(events[0].fields).toMatchObject({
      webaclId: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/example-web-acl/21f6e1c1-4c32-4e3d-ab12-111111111111',
      terminatingRuleType: 'GROUP',
      httpSourceName: 'ALB',
      'httpRequest.uri': '/search',
      'httpRequest.httpMethod': 'GET',
      'httpRequest.country': 'US',
      ja3Fingerprint: 'e7d705a3286e19ea42f587b344ee6865',
    });
    expect(JSON.parse(events[0].fields.labels)).toEqual([{ name: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Header' }]);
    expect(events[1]).toMatchObject({ eventName: 'ALLOW', outcome: 'success', userAgent: 'curl/7.61.1', region: 'ap-southeast-2' });
    expect(events[2]).toMatchObject({ eventName: 'CAPTCHA', outcome: 'failure', srcIp: '2001:db8::1' });
    expect(events[2].fields['captchaResponse.failureReason']).toBe('TOKEN_MISSING');
    expect(malformed.map((m) => [m.record, m.reason])).toEqual([[4, 'timestamp: expected epoch milliseconds, got "yesterday"']]);
  });

  it('is chosen by the WAFLogs and Firehose key layouts and recognised by its content', () => {
    expect(waf.matchesKey(KEY)).toBe(true);
    expect(waf.matchesKey('2024/05/01/10/aws-waf-logs-prod-1-2024-05-01-10-15-00-6f1c2c3e-4b5a-4d3e-9f8e-0123456789ab')).toBe(true);
    expect(waf.sniff(sample.toString())).toBe(true);
  });
});
