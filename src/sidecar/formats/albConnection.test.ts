import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { albConnection } from './albConnection';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY =
  'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2023/10/04/conn_log_123456789012_elasticloadbalancing_us-east-1_app.my-lb.1234567890abcdef_20231004T1740Z_10.0.0.5_abcd1234.log.gz';
const sample = readFileSync(join(__dirname, 'testdata', 'alb-connection.log'));

describe('ALB connection logs', () => {
  it('reads the documented fields and the TLS verification outcome', async () => {
    const { events, malformed } = await parseAll(albConnection, chunksOf(sample, 33), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events.map((e) => [e.outcome, e.status, e.severity])).toEqual([
      ['success', 'Success', 'info'],
      ['failure', 'Failed:UntrustedCert', 'warning'],
      ['unknown', '', 'info'],
    ]);
    expect(events[0]).toMatchObject({
      time: Date.parse('2023-10-04T17:36:52.179Z'),
      eventName: 'connection',
      srcIp: '192.0.2.1',
      srcPort: 45678,
      dstPort: 443,
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(events[0].fields).toEqual({
      timestamp: '2023-10-04T17:36:52.179349Z',
      client_ip: '192.0.2.1',
      client_port: '45678',
      listener_port: '443',
      tls_protocol: 'TLSv1.2',
      tls_cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
      tls_handshake_latency: '4.036',
      leaf_client_cert_subject: 'CN=amazondomains.com,OU=Cloud,O=Amazon,L=Seattle,ST=WA,C=US',
      leaf_client_cert_validity: 'NotBefore=2023-09-21T22:43:21Z;NotAfter=2026-09-21T22:43:21Z',
      leaf_client_cert_serial_number: 'FEF257C9F4D9BA7B',
      tls_verify_status: 'Success',
      conn_trace_id: 'TID_1c8d1d1b7c01b24d8a4ec4d0f93a2bd0',
    });
  });

  it('reports an entry with missing fields', async () => {
    const { malformed } = await parseAll(albConnection, chunksOf('2023-10-04T17:36:52.179349Z 192.0.2.1 45678\n'), objectInfo(KEY));
    expect(malformed[0].reason).toBe('expected at least 11 space-separated fields (timestamp … tls_verify_status) in an ALB connection log entry, found 3');
  });

  it('is chosen by the conn_log_ file name and recognised by its content', () => {
    expect(albConnection.matchesKey(KEY)).toBe(true);
    expect(albConnection.matchesKey(KEY.replace('conn_log_', ''))).toBe(false);
    expect(albConnection.sniff(sample.toString())).toBe(true);
  });
});
