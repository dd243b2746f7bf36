import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudfront } from './cloudfront';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY = 'cf-logs/EMLARXS9EXAMPLE.2019-12-13-22.b9a3c1d2.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'cloudfront-standard.log'));

describe('CloudFront standard logs', () => {
  it('reads entries by the #Fields header, with URL-decoded user agents', async () => {
    const { events, malformed } = await parseAll(cloudfront, chunksOf(sample, 90), objectInfo(KEY));
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({
      time: Date.parse('2019-12-04T21:02:31Z'),
      eventName: 'GET',
      srcIp: '192.0.2.100',
      srcPort: 11040,
      status: '200',
      outcome: 'success',
      service: 'cloudfront.amazonaws.com',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36',
      bytes: 392 + 23,
    });
    expect(events[0].fields).toMatchObject({
      'x-edge-location': 'LAX1',
      'cs(Host)': 'd111111abcdef8.cloudfront.net',
      'cs-uri-stem': '/index.html',
      'x-edge-result-type': 'Hit',
      'ssl-protocol': 'TLSv1.2',
      'sc-range-end': '-',
    });
    expect(events[3]).toMatchObject({ status: '502', outcome: 'failure', severity: 'error' });
    expect(events[3].fields['x-edge-detailed-result-type']).toBe('OriginDnsError');
    expect(malformed).toEqual([
      { record: 8, reason: 'expected 33 tab-separated fields as the #Fields line lists, found 15', sample: expect.stringMatching(/^2019-12-13\t22:37:02/) },
    ]);
  });

  it('follows a #Fields line that selects other fields (standard logging v2)', async () => {
    const text = '#Version: 1.0\n#Fields: timestamp c-ip sc-status cs-method cs-uri-stem\n1733220000.123\t203.0.113.7\t403\tPOST\t/login\n';
    const { events } = await parseAll(cloudfront, chunksOf(text), objectInfo(KEY));
    expect(events[0]).toMatchObject({ time: 1733220000123, srcIp: '203.0.113.7', status: '403', eventName: 'POST', srcPort: null });
  });

  it('is chosen by the distribution file name and recognised by its header', () => {
    expect(cloudfront.matchesKey(KEY)).toBe(true);
    expect(cloudfront.matchesKey('EMLARXS9EXAMPLE.2019-12-13-22.b9a3c1d2')).toBe(true);
    expect(cloudfront.matchesKey('logs/2019-02-06-00-05-12-1A2B3C4D5E6F7A8B')).toBe(false);
    expect(cloudfront.sniff(sample.toString())).toBe(true);
    expect(cloudfront.sniff('#Version: 1.0\n#Fields: date time s-ip cs-method\n')).toBe(false);
  });
});
